// <face-enroll> in a Vue 3 app, with the runtime-only build and render functions (no template
// compiler, so no `isCustomElement` option is needed: `h('face-enroll')` creates the element).
//
// How Vue 3 binds to a custom element (runtime-dom `patchProp`):
// - a key that exists on the element (`key in el`) is set as a DOM property: `groupId`, `mode`,
//   `ticketProvider` (a function), `autoSubmit`. Keys the element lacks become attributes; a
//   leading `.` (`'.groupId'`) forces a property, `^` an attribute;
// - `on` + a capital letter is a listener; the rest is hyphenated: `onFacekitResult` listens to
//   `facekit-result`. `'on:facekit-result'` names the event verbatim.
// The tag is registered before the app mounts, so the properties already exist.
import '../packages/elements/src/face-enroll/define.ts';
import type { FaceEnroll, FaceEnrollMode } from '../packages/elements/src/face-enroll/face-enroll.ts';
import type { FaceEnrollResultDetail, FacekitErrorDetail, FacekitStatusDetail } from '../packages/elements/src/events.ts';
import { createApp, defineComponent, h, ref, shallowRef, type VNode } from 'vue';
import { demoTicket, recordFacekitEvents } from './embed-shared.ts';

recordFacekitEvents();

const GROUP = 'vue-demo';
type Lang = 'zh-CN' | 'en';

const FaceEnrollDemo = defineComponent({
  name: 'FaceEnrollDemo',
  setup() {
    const element = ref<FaceEnroll | null>(null);
    const mode = ref<FaceEnrollMode>('enroll');
    const lang = ref<Lang>('en');
    const status = shallowRef<FacekitStatusDetail | null>(null);
    const result = shallowRef<FaceEnrollResultDetail | null>(null);
    const error = shallowRef<FacekitErrorDetail | null>(null);

    const switchMode = (next: FaceEnrollMode): void => {
      element.value?.reset();
      result.value = null;
      mode.value = next;
    };

    const radio = <T extends string>(name: string, value: T, current: T, label: VNode | string, onPick: (value: T) => void): VNode =>
      h('label', [h('input', { type: 'radio', name, value, checked: current === value, onChange: () => onPick(value) }), ' ', label]);

    const row = (term: string, testId: string, text: string): VNode[] => [h('dt', term), h('dd', { 'data-testid': testId }, text)];

    return () => {
      const current = result.value;
      return h('div', { class: 'layout' }, [
        h('div', [
          h('form', { class: 'controls', onSubmit: (event: Event) => event.preventDefault() }, [
            h('fieldset', { class: 'switch' }, [
              h('legend', 'Mode (reactive state → the mode property)'),
              radio('mode', 'enroll', mode.value, 'Enrol', switchMode),
              radio('mode', 'search', mode.value, 'Find person', switchMode),
            ]),
            h('fieldset', { class: 'switch' }, [
              h('legend', 'Language (→ lang)'),
              radio('lang', 'en', lang.value, h('span', { lang: 'en' }, 'English'), (value) => (lang.value = value)),
              radio('lang', 'zh-CN', lang.value, h('span', { lang: 'zh-CN' }, '中文'), (value) => (lang.value = value)),
            ]),
          ]),
          h(
            'face-enroll',
            {
              ref: element,
              endpoint: location.origin,
              assetsBase: './assets/',
              groupId: GROUP,
              mode: mode.value,
              lang: lang.value,
              autoSubmit: true,
              ticketProvider: demoTicket,
              onFacekitStatus: (event: CustomEvent<FacekitStatusDetail>) => (status.value = event.detail),
              onFacekitResult: (event: CustomEvent<FaceEnrollResultDetail>) => {
                result.value = event.detail;
                error.value = null;
              },
              onFacekitError: (event: CustomEvent<FacekitErrorDetail>) => (error.value = event.detail),
            },
            [h('p', { class: 'note' }, 'Rendered by Vue; the element keeps its own camera, guidance and buttons.')],
          ),
        ]),
        h('section', { class: 'panel', 'aria-labelledby': 'vue-state-title' }, [
          h('h2', { id: 'vue-state-title' }, 'Vue state'),
          h('dl', { class: 'state' }, [
            ...row('mode', 'mode', mode.value),
            ...row('last facekit-status', 'status', status.value ? `${status.value.phase}${status.value.hint ? ` · ${status.value.hint}` : ''}` : '—'),
            ...row('last facekit-result', 'result', current ? describeResult(current) : '—'),
            ...row('personId', 'person-id', current && 'personId' in current && current.personId ? current.personId : '—'),
            ...row('last facekit-error', 'error', error.value ? `${error.value.code}: ${error.value.message}` : '—'),
          ]),
        ]),
      ]);
    };
  },
});

function describeResult(result: FaceEnrollResultDetail): string {
  if (result.mode === 'enroll') return `enrolled ${result.personId}`;
  if (result.mode === 'search') return result.matched ? `found ${result.personId} (${Math.round((result.similarity ?? 0) * 100)} %)` : 'no match';
  return result.samePerson ? 'same person' : 'different person';
}

createApp(FaceEnrollDemo).mount('#app');
