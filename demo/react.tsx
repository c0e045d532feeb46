// <face-enroll> in a React 19 app: properties from React state, events through React 19's
// custom-element event props (`onfacekit-result` listens to `facekit-result`), the result shown by
// React. The page records every facekit event in `window.facekitEvents` for the end-to-end tests.
//
// The tag is registered before the first render, so React finds the element's properties and
// sets them as properties (functions and objects included) rather than as attributes.
import '../packages/elements/src/face-enroll/define.ts';
import type {} from '../packages/elements/src/react.ts';
import type { FaceEnroll, FaceEnrollMode } from '../packages/elements/src/face-enroll/face-enroll.ts';
import type { FaceEnrollResultDetail, FacekitErrorDetail, FacekitStatusDetail } from '../packages/elements/src/events.ts';
import { StrictMode, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { demoTicket, recordFacekitEvents } from './embed-shared.ts';

recordFacekitEvents();

const GROUP = 'react-demo';
type Lang = 'zh-CN' | 'en';

function FaceEnrollDemo() {
  const element = useRef<FaceEnroll>(null);
  const [mode, setMode] = useState<FaceEnrollMode>('enroll');
  const [lang, setLang] = useState<Lang>('en');
  const [status, setStatus] = useState<FacekitStatusDetail | null>(null);
  const [result, setResult] = useState<FaceEnrollResultDetail | null>(null);
  const [error, setError] = useState<FacekitErrorDetail | null>(null);

  const onStatus = (event: CustomEvent<FacekitStatusDetail>) => setStatus(event.detail);
  const onResult = (event: CustomEvent<FaceEnrollResultDetail>) => {
    setResult(event.detail);
    setError(null);
  };
  const onError = (event: CustomEvent<FacekitErrorDetail>) => setError(event.detail);

  const switchMode = (next: FaceEnrollMode) => {
    element.current?.reset();
    setResult(null);
    setMode(next);
  };

  return (
    <div className="layout">
      <div>
        <form className="controls" onSubmit={(event) => event.preventDefault()}>
          <fieldset className="switch">
            <legend>Mode (React state → the mode property)</legend>
            {(['enroll', 'search'] as const).map((value) => (
              <label key={value}>
                <input type="radio" name="mode" value={value} checked={mode === value} onChange={() => switchMode(value)} />{' '}
                {value === 'enroll' ? 'Enrol' : 'Find person'}
              </label>
            ))}
          </fieldset>
          <fieldset className="switch">
            <legend>Language (→ lang)</legend>
            {(['en', 'zh-CN'] as const).map((value) => (
              <label key={value}>
                <input type="radio" name="lang" value={value} checked={lang === value} onChange={() => setLang(value)} />{' '}
                <span lang={value}>{value === 'en' ? 'English' : '中文'}</span>
              </label>
            ))}
          </fieldset>
        </form>

        <face-enroll
          ref={element}
          endpoint={location.origin}
          assetsBase="./assets/"
          groupId={GROUP}
          mode={mode}
          lang={lang}
          autoSubmit
          ticketProvider={demoTicket}
          onfacekit-status={onStatus}
          onfacekit-result={onResult}
          onfacekit-error={onError}
        >
          <p className="note">Rendered by React; the element keeps its own camera, guidance and buttons.</p>
        </face-enroll>
      </div>

      <section className="panel" aria-labelledby="react-state-title">
        <h2 id="react-state-title">React state</h2>
        <dl className="state">
          <dt>mode</dt>
          <dd data-testid="mode">{mode}</dd>
          <dt>last facekit-status</dt>
          <dd data-testid="status">{status ? `${status.phase}${status.hint ? ` · ${status.hint}` : ''}` : '—'}</dd>
          <dt>last facekit-result</dt>
          <dd data-testid="result">{result ? describeResult(result) : '—'}</dd>
          <dt>personId</dt>
          <dd data-testid="person-id">{result && 'personId' in result && result.personId ? result.personId : '—'}</dd>
          <dt>last facekit-error</dt>
          <dd data-testid="error">{error ? `${error.code}: ${error.message}` : '—'}</dd>
        </dl>
      </section>
    </div>
  );
}

function describeResult(result: FaceEnrollResultDetail): string {
  if (result.mode === 'enroll') return `enrolled ${result.personId}`;
  if (result.mode === 'search') return result.matched ? `found ${result.personId} (${Math.round((result.similarity ?? 0) * 100)} %)` : 'no match';
  return result.samePerson ? 'same person' : 'different person';
}

createRoot(document.querySelector('#app')!).render(
  <StrictMode>
    <FaceEnrollDemo />
  </StrictMode>,
);
