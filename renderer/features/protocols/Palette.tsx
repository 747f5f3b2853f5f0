/** Every block kind, to click (adds after the selected block, or into the selected repeat/sweep/until) or to drag into place. */
import { useContext } from 'react';
import { BLOCK_KINDS, type BlockKind } from '../../../shared/protocol';
import { DragContext, KIND_MIME } from './BlockTree';
import { KIND_HINTS, KIND_TITLES } from './summary';

export function Palette({ onAdd, disabled }: { onAdd: (kind: BlockKind) => void; disabled: boolean }) {
  const { setDragging } = useContext(DragContext);
  return (
    <div className="pe-palette" role="toolbar" aria-label="Add a block">
      {BLOCK_KINDS.map((kind) => (
        <button
          key={kind}
          type="button"
          className={`pe-palette-item pe-kind-badge-${kind}`}
          draggable={!disabled}
          disabled={disabled}
          title={`${KIND_HINTS[kind]}. Click to add, or drag into place.`}
          aria-label={`Add ${/^[aeiou]/u.test(kind) ? 'an' : 'a'} ${lowerFirst(KIND_TITLES[kind])} block`}
          onClick={() => onAdd(kind)}
          onDragStart={(e) => {
            e.dataTransfer.setData(KIND_MIME, kind);
            e.dataTransfer.setData('text/plain', KIND_TITLES[kind]);
            e.dataTransfer.effectAllowed = 'copy';
            setDragging('palette');
          }}
          onDragEnd={() => setDragging(null)}
        >
          + {KIND_TITLES[kind]}
        </button>
      ))}
    </div>
  );
}

/** 'Pulse' → 'pulse', but 'I–V sweep' stays as it is (an initialism keeps its capital). */
function lowerFirst(title: string): string {
  return /^\p{Lu}\p{Ll}/u.test(title) ? title.toLowerCase() : title;
}
