import { useApp } from '../context';

export function ProgressBar(props: { percent: number; label?: string }) {
  const { t } = useApp();
  const label = props.label ?? t('detail.progressLabel', { percent: props.percent });
  return (
    <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={props.percent}
      aria-label={label}>
      <svg viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
        <rect x="0" y="0" width="100" height="8" rx="4" class="track" />
        <rect x="0" y="0" width={props.percent} height="8" rx="4" class="bar" />
      </svg>
      <span class="progress-text">{props.percent}%</span>
    </div>
  );
}
