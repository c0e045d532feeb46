import type { Hint, Lang, Phase } from './types.js';

/** UI text of the kit. Add a key to both languages; the type check fails when one is missing. */
const en = {
  'hint.no-face': 'No face found: look at the camera',
  'hint.many-faces': 'Only one person in the frame, please',
  'hint.move-closer': 'Move closer',
  'hint.move-back': 'Move back a little',
  'hint.center-face': 'Centre your face in the oval',
  'hint.look-at-camera': 'Look straight at the camera',
  'hint.too-dark': 'Too dark: find more light',
  'hint.too-bright': 'Too bright: avoid direct light',
  'hint.blurry': 'Image is blurry: hold the phone steady',
  'hint.hold-still': 'Hold still…',
  'hint.ok': 'Good, hold still',
  'phase.idle': 'Ready',
  'phase.loading': 'Loading the face model…',
  'phase.starting-camera': 'Starting the camera…',
  'phase.guiding': 'Fit your face in the oval',
  'phase.captured': 'Photo taken',
  'phase.uploading': 'Sending…',
  'phase.queued': 'Saved; it will be sent when the connection returns',
  'phase.done': 'Done',
  'phase.error': 'Something went wrong',
  'action.start': 'Start',
  'action.capture': 'Take photo',
  'action.retake': 'Retake',
  'action.submit': 'Submit',
  'action.retry': 'Try again',
  'action.upload': 'Upload a photo',
  'action.tap-to-start': 'Tap to start the camera',
  'action.stop': 'Stop',
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

const zhCN: Catalogue = {
  'hint.no-face': '未检测到人脸，请正对摄像头',
  'hint.many-faces': '画面中只能有一个人',
  'hint.move-closer': '请靠近一点',
  'hint.move-back': '请离远一点',
  'hint.center-face': '请将脸移到椭圆框中央',
  'hint.look-at-camera': '请正视摄像头',
  'hint.too-dark': '光线太暗，请到明亮处',
  'hint.too-bright': '光线太强，请避开直射光',
  'hint.blurry': '画面模糊，请保持稳定',
  'hint.hold-still': '请保持不动…',
  'hint.ok': '很好，请保持不动',
  'phase.idle': '准备就绪',
  'phase.loading': '正在加载人脸模型…',
  'phase.starting-camera': '正在打开摄像头…',
  'phase.guiding': '请将脸放入椭圆框内',
  'phase.captured': '已拍摄',
  'phase.uploading': '正在提交…',
  'phase.queued': '已保存，网络恢复后将自动提交',
  'phase.done': '完成',
  'phase.error': '出错了',
  'action.start': '开始',
  'action.capture': '拍照',
  'action.retake': '重拍',
  'action.submit': '提交',
  'action.retry': '重试',
  'action.upload': '上传照片',
  'action.tap-to-start': '点击开启摄像头',
  'action.stop': '停止',
};

export const MESSAGES: Record<Lang, Catalogue> = { 'zh-CN': zhCN, en };

export const hintKey = (hint: Hint): MessageKey => `hint.${hint}` as MessageKey;
export const phaseKey = (phase: Phase): MessageKey => `phase.${phase}` as MessageKey;

/** Replaces `{name}` placeholders. */
export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
