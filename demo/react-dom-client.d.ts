// The part of react-dom/client the React demo uses. @types/react-dom is not installed here; with it,
// delete this file.
declare module 'react-dom/client' {
  import type { ReactNode } from 'react';
  export interface Root {
    render(children: ReactNode): void;
    unmount(): void;
  }
  export function createRoot(container: Element | DocumentFragment): Root;
}
