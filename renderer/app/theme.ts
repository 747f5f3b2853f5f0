import { useEffect, useState } from 'react';

/** Light and dark follow the OS unless the user picked one in Settings (kept per machine). */
export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'workbench.theme';

export function storedTheme(): ThemeChoice {
  const v = window.localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

export function useTheme(): [ThemeChoice, (t: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme);
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      const dark = choice === 'dark' || (choice === 'system' && media.matches);
      document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [choice]);
  const set = (t: ThemeChoice) => {
    if (t === 'system') window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, t);
    setChoice(t);
  };
  return [choice, set];
}
