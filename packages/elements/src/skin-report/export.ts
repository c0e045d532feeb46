/**
 * The report summary as a PNG picture: title and date, the overall score and skin age (with the
 * change since the previous report), the radar of the eight concerns, and the user's photo with
 * the wrinkle map. Drawn on a canvas from the report model, never from the service's pictures
 * (they are served by the endpoint and would taint the canvas).
 */
import { radarAngle, radarPoints } from '../shared/charts.js';
import { SKIN_CONCERN_KEYS, type SkinConcern, type SkinWrinkleZone } from './fields.js';
import { scoreBand, scorePoints, type ScoreBand, type SkinReportData } from './report-model.js';
import type { WrinkleRegion } from './regions.js';

export interface ReportPngText {
  title: string;
  date: string;
  scoreLabel: string;
  ageLabel: string;
  /** The skin age with its unit, e.g. "17 years". */
  age: string;
  /** E.g. "+3 since 12 Nov" or ''. */
  trend: string;
  radarTitle: string;
  mapTitle: string;
  concerns: Record<SkinConcern, string>;
  zones: Record<SkinWrinkleZone, string>;
  /** E.g. "not measured". */
  notMeasured: string;
}

export interface ReportPngInput {
  report: SkinReportData;
  text: ReportPngText;
  /** The user's photo; the wrinkle map is drawn on it. */
  photo?: ImageBitmap | null;
  /** Wrinkle regions in the photo's pixels. */
  regions?: WrinkleRegion[] | null;
  /** The previous report's concern scores, drawn dashed on the radar. */
  previous?: Record<SkinConcern, number | null> | null;
  /** Output width in pixels (default 1080). */
  width?: number;
}

const COLOURS = {
  bg: '#ffffff',
  fg: '#1c2024',
  muted: '#5b636b',
  border: '#c9d0d6',
  accent: '#0b63ce',
  good: '#1a7f37',
  fair: '#875a00',
  attention: '#c62828',
} as const;

/** The font stack of every text of the picture (system fonts only: the canvas loads nothing). */
export const REPORT_FONT = "system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', sans-serif";

export function bandColour(band: ScoreBand | null): string {
  return band ? COLOURS[band] : COLOURS.muted;
}

/** Draws the summary; resolves with a PNG Blob. */
export async function renderReportPng(input: ReportPngInput): Promise<Blob> {
  const width = input.width ?? 1080;
  const scale = width / 1080;
  const pad = 56;
  const inner = 1080 - 2 * pad;
  const photo = input.photo ?? null;
  const photoScale = photo ? Math.min(inner / photo.width, 900 / photo.height) : 0;
  const photoHeight = photo ? photo.height * photoScale : 0;
  const zoneRows = input.regions?.length ? input.regions.length : 0;
  const height = Math.round((pad + 120 + 240 + 70 + 620 + (photo ? 70 + photoHeight + 24 + zoneRows * 40 : 0) + pad) * scale);

  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(scale, scale);
  ctx.fillStyle = COLOURS.bg;
  ctx.fillRect(0, 0, 1080, height / scale);
  ctx.textBaseline = 'alphabetic';

  const { report, text } = input;
  let y = pad;

  // Title and date.
  ctx.fillStyle = COLOURS.fg;
  ctx.font = `700 44px ${REPORT_FONT}`;
  ctx.fillText(text.title, pad, y + 44);
  ctx.fillStyle = COLOURS.muted;
  ctx.font = `400 24px ${REPORT_FONT}`;
  ctx.fillText(text.date, pad, y + 88);
  y += 120;

  // Score ring, score and age.
  const band = scoreBand(report.synScore);
  const ringX = pad + 110;
  const ringY = y + 115;
  ctx.lineWidth = 18;
  ctx.strokeStyle = COLOURS.border;
  ctx.beginPath();
  ctx.arc(ringX, ringY, 95, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.strokeStyle = bandColour(band);
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.arc(ringX, ringY, 95, -Math.PI / 2, -Math.PI / 2 + 2 * Math.PI * report.synScore);
  ctx.stroke();
  ctx.lineCap = 'butt';
  ctx.fillStyle = COLOURS.fg;
  ctx.textAlign = 'center';
  ctx.font = `700 64px ${REPORT_FONT}`;
  ctx.fillText(String(scorePoints(report.synScore) ?? '—'), ringX, ringY + 16);
  ctx.fillStyle = COLOURS.muted;
  ctx.font = `400 22px ${REPORT_FONT}`;
  ctx.fillText('/ 100', ringX, ringY + 50);
  ctx.textAlign = 'left';

  const textX = pad + 260;
  ctx.fillStyle = COLOURS.muted;
  ctx.font = `400 26px ${REPORT_FONT}`;
  ctx.fillText(text.scoreLabel, textX, y + 60);
  ctx.fillText(text.ageLabel, textX, y + 150);
  ctx.fillStyle = COLOURS.fg;
  ctx.font = `700 40px ${REPORT_FONT}`;
  ctx.fillText(`${scorePoints(report.synScore) ?? '—'} / 100`, textX, y + 106);
  ctx.fillText(text.age, textX, y + 196);
  if (text.trend) {
    ctx.fillStyle = COLOURS.muted;
    ctx.font = `400 22px ${REPORT_FONT}`;
    ctx.fillText(text.trend, textX, y + 232);
  }
  y += 240 + 70;

  // Radar.
  ctx.fillStyle = COLOURS.fg;
  ctx.font = `700 30px ${REPORT_FONT}`;
  ctx.fillText(text.radarTitle, pad, y - 20);
  const geometry = { cx: 540, cy: y + 300, r: 220 };
  const count = SKIN_CONCERN_KEYS.length;
  ctx.strokeStyle = COLOURS.border;
  ctx.lineWidth = 1.5;
  for (const level of [0.25, 0.5, 0.75, 1]) tracePolygon(ctx, radarPoints(Array(count).fill(level), geometry), false);
  for (let i = 0; i < count; i++) {
    const angle = radarAngle(i, count);
    ctx.beginPath();
    ctx.moveTo(geometry.cx, geometry.cy);
    ctx.lineTo(geometry.cx + geometry.r * Math.cos(angle), geometry.cy + geometry.r * Math.sin(angle));
    ctx.stroke();
  }
  if (input.previous) {
    ctx.strokeStyle = COLOURS.muted;
    ctx.lineWidth = 3;
    ctx.setLineDash([10, 8]);
    tracePolygon(ctx, radarPoints(SKIN_CONCERN_KEYS.map((key) => input.previous![key] ?? null), geometry), false);
    ctx.setLineDash([]);
  }
  const values = SKIN_CONCERN_KEYS.map((key) => report.concerns[key].score);
  ctx.fillStyle = 'rgba(11, 99, 206, 0.2)';
  ctx.strokeStyle = COLOURS.accent;
  ctx.lineWidth = 4;
  tracePolygon(ctx, radarPoints(values, geometry), true);
  ctx.font = `400 24px ${REPORT_FONT}`;
  SKIN_CONCERN_KEYS.forEach((key, i) => {
    const angle = radarAngle(i, count);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const x = geometry.cx + (geometry.r + 24) * cos;
    const ly = geometry.cy + (geometry.r + 24) * sin + (sin > 0.5 ? 24 : sin < -0.5 ? -6 : 8);
    ctx.textAlign = Math.abs(cos) < 0.2 ? 'center' : cos > 0 ? 'left' : 'right';
    ctx.fillStyle = COLOURS.fg;
    const score = scorePoints(report.concerns[key].score);
    ctx.fillText(`${text.concerns[key]} ${score ?? '—'}`, x, ly);
  });
  ctx.textAlign = 'left';
  y += 620;

  // Photo with the wrinkle map.
  if (photo) {
    ctx.fillStyle = COLOURS.fg;
    ctx.font = `700 30px ${REPORT_FONT}`;
    ctx.fillText(text.mapTitle, pad, y + 40);
    y += 70;
    const x0 = pad + (inner - photo.width * photoScale) / 2;
    ctx.drawImage(photo, x0, y, photo.width * photoScale, photoHeight);
    for (const region of input.regions ?? []) {
      const zone = report.wrinkleZones[region.zone];
      ctx.strokeStyle = zone.measured ? bandColour(scoreBand(zone.score)) : COLOURS.muted;
      ctx.lineWidth = 4;
      ctx.setLineDash(zone.measured ? [] : [8, 6]);
      for (const shape of region.shapes) {
        ctx.beginPath();
        ctx.ellipse(
          x0 + shape.cx * photoScale,
          y + shape.cy * photoScale,
          Math.max(1, shape.rx * photoScale),
          Math.max(1, shape.ry * photoScale),
          (shape.rotation * Math.PI) / 180,
          0,
          2 * Math.PI,
        );
        ctx.stroke();
      }
      ctx.setLineDash([]);
      // On the photo the numbers only (score · count); the names are listed under it.
      const label = zone.measured ? `${scorePoints(zone.score) ?? '—'} · ${zone.count ?? '—'}` : '—';
      drawTag(ctx, label, x0 + region.label.x * photoScale, y + region.label.y * photoScale);
    }
    y += photoHeight + 24;
    for (const region of input.regions ?? []) {
      const zone = report.wrinkleZones[region.zone];
      y += 40;
      ctx.strokeStyle = zone.measured ? bandColour(scoreBand(zone.score)) : COLOURS.muted;
      ctx.lineWidth = 4;
      ctx.beginPath();
      ctx.arc(pad + 12, y - 9, 10, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.fillStyle = COLOURS.fg;
      ctx.font = `400 26px ${REPORT_FONT}`;
      ctx.fillText(text.zones[region.zone], pad + 36, y);
      ctx.textAlign = 'right';
      ctx.font = `600 26px ${REPORT_FONT}`;
      ctx.fillText(zone.measured ? `${scorePoints(zone.score) ?? '—'} · ${zone.count ?? '—'}` : text.notMeasured, 1080 - pad, y);
      ctx.textAlign = 'left';
    }
  }

  return new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas gave no PNG'))), 'image/png'),
  );
}

function tracePolygon(ctx: CanvasRenderingContext2D, points: Array<{ x: number; y: number }>, fill: boolean): void {
  ctx.beginPath();
  points.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
  ctx.closePath();
  if (fill) ctx.fill();
  ctx.stroke();
}

/** A label on a white rounded tag, centred on (x, y). */
function drawTag(ctx: CanvasRenderingContext2D, label: string, x: number, y: number): void {
  ctx.font = `600 20px ${REPORT_FONT}`;
  const width = ctx.measureText(label).width + 16;
  ctx.fillStyle = 'rgba(255, 255, 255, 0.88)';
  ctx.beginPath();
  ctx.roundRect(x - width / 2, y - 16, width, 30, 8);
  ctx.fill();
  ctx.fillStyle = COLOURS.fg;
  ctx.textAlign = 'center';
  ctx.fillText(label, x, y + 6);
  ctx.textAlign = 'left';
}
