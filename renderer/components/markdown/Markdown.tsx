import { Lexer, type Token, type Tokens } from 'marked';
import { Fragment, type ReactNode } from 'react';
import { slug } from './slug';

export { slug };

/**
 * Markdown rendered to React elements from marked's tokens — never through innerHTML, so even a
 * help file with HTML in it cannot inject markup or script. Links to the outside open in the
 * system browser (the desktop shell routes them there); in-app links (#/page) navigate.
 */
/** Cuts a text into pieces to show marked or not (Help's search); joined, the pieces are the text. */
export type Highlighter = (text: string) => { text: string; match: boolean }[];

export function Markdown({ source, resolveImage, highlight }: { source: string; resolveImage?: (href: string) => string | null; highlight?: Highlighter | null }) {
  const tokens = Lexer.lex(source, { gfm: true });
  return <div className="markdown">{blocks(tokens, { resolve: resolveImage, highlight: highlight ?? null })}</div>;
}

interface Resolve {
  resolve: ((href: string) => string | null) | undefined;
  /** The pieces it marks are shown in <mark> (Help's search). */
  highlight: Highlighter | null;
}

/** Text, with the pieces the highlighter marks in <mark>. */
function shown(text: string, r: Resolve): ReactNode {
  if (!r.highlight) return text;
  const parts = r.highlight(text);
  if (!parts.some((p) => p.match)) return text;
  return parts.map((p, k) => (p.match ? <mark key={k}>{p.text}</mark> : <Fragment key={k}>{p.text}</Fragment>));
}

function blocks(tokens: Token[], resolve: Resolve): ReactNode[] {
  return tokens.map((t, k) => block(t, k, resolve));
}

function block(t: Token, key: number, resolve: Resolve): ReactNode {
  switch (t.type) {
    case 'heading': {
      const h = t as Tokens.Heading;
      const Tag = `h${Math.min(6, Math.max(1, h.depth))}` as 'h1';
      return (
        <Tag key={key} id={slug(h.text)}>
          {inline(h.tokens, resolve)}
        </Tag>
      );
    }
    case 'paragraph':
      return <p key={key}>{inline((t as Tokens.Paragraph).tokens, resolve)}</p>;
    case 'text': {
      const tt = t as Tokens.Text;
      return <Fragment key={key}>{tt.tokens ? inline(tt.tokens, resolve) : shown(tt.text, resolve)}</Fragment>;
    }
    case 'list': {
      const l = t as Tokens.List;
      const items = l.items.map((item, i) => <li key={i}>{blocks(item.tokens, resolve)}</li>);
      return l.ordered ? (
        <ol key={key} start={typeof l.start === 'number' ? l.start : undefined}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'code':
      return (
        <pre key={key} className="code-block">
          <code>{shown((t as Tokens.Code).text, resolve)}</code>
        </pre>
      );
    case 'blockquote':
      return <blockquote key={key}>{blocks((t as Tokens.Blockquote).tokens, resolve)}</blockquote>;
    case 'hr':
      return <hr key={key} />;
    case 'table': {
      const tb = t as Tokens.Table;
      return (
        <table key={key} className="data-table">
          <thead>
            <tr>
              {tb.header.map((c, i) => (
                <th key={i} style={{ textAlign: tb.align[i] ?? undefined }}>
                  {inline(c.tokens, resolve)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {tb.rows.map((row, r) => (
              <tr key={r}>
                {row.map((c, i) => (
                  <td key={i} style={{ textAlign: tb.align[i] ?? undefined }}>
                    {inline(c.tokens, resolve)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
    case 'space':
      return null;
    default:
      // Raw HTML and anything unknown is shown as text, never interpreted.
      return <p key={key}>{'raw' in t ? String(t.raw) : ''}</p>;
  }
}

function inline(tokens: Token[] | undefined, resolve: Resolve): ReactNode[] {
  return (tokens ?? []).map((t, k) => {
    switch (t.type) {
      case 'text': {
        const tt = t as Tokens.Text;
        return <Fragment key={k}>{tt.tokens ? inline(tt.tokens, resolve) : shown(tt.text, resolve)}</Fragment>;
      }
      case 'strong':
        return <strong key={k}>{inline((t as Tokens.Strong).tokens, resolve)}</strong>;
      case 'em':
        return <em key={k}>{inline((t as Tokens.Em).tokens, resolve)}</em>;
      case 'del':
        return <del key={k}>{inline((t as Tokens.Del).tokens, resolve)}</del>;
      case 'codespan':
        return <code key={k}>{shown((t as Tokens.Codespan).text, resolve)}</code>;
      case 'br':
        return <br key={k} />;
      case 'link': {
        const l = t as Tokens.Link;
        const internal = l.href.startsWith('#');
        const safe = internal || /^https?:\/\//.test(l.href);
        if (!safe) return <Fragment key={k}>{inline(l.tokens, resolve)}</Fragment>;
        return (
          <a key={k} href={l.href} {...(internal ? {} : { target: '_blank', rel: 'noopener noreferrer' })}>
            {inline(l.tokens, resolve)}
          </a>
        );
      }
      case 'image': {
        const img = t as Tokens.Image;
        const src = resolve.resolve?.(img.href) ?? null;
        return src ? <img key={k} src={src} alt={img.text} className="markdown-image" /> : <em key={k}>[{img.text}]</em>;
      }
      case 'escape':
        return <Fragment key={k}>{shown((t as Tokens.Escape).text, resolve)}</Fragment>;
      default:
        return <Fragment key={k}>{'raw' in t ? String(t.raw) : ''}</Fragment>;
    }
  });
}
