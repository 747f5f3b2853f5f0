/** Line icons drawn inline (no icon font or remote asset: the app works offline). */
const paths: Record<string, string> = {
  protocols: 'M3 17h3V7h4v10h4V4h4v13h3',
  devices: 'M4 12h3m10 0h3M7 8h10v8H7zM10 8V5m4 3V5m-4 14v-3m4 3v-3',
  live: 'M3 12h4l3-7 4 14 3-7h4',
  rl: 'M4 4h6v6H4zM14 14h6v6h-6zM10 7h4a3 3 0 0 1 3 3v4M7 10v4a3 3 0 0 0 3 3h4',
  archive: 'M3 5h18v4H3zM5 9v10h14V9M10 13h4',
  samples: 'M4 4h16v16H4zM4 10h16M4 15h16M10 4v16M15 4v16',
  instruments: 'M4 6h16v12H4zM8 10h3v4H8zM14 10h2m-2 4h2',
  settings: 'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM12 2v3m0 14v3M2 12h3m14 0h3M5 5l2 2m10 10 2 2M5 19l2-2M17 7l2-2',
  help: 'M12 18h.01M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6V14M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z',
};

export function Icon({ name, size = 20 }: { name: keyof typeof paths | string; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.6} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={paths[name] ?? paths.help} />
    </svg>
  );
}
