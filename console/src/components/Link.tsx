import type { ComponentChildren } from 'preact';
import { useApp } from '../context';
import { pathOf, type Route } from '../logic/routes';

// An ordinary link (it opens in a new tab, too) that moves within the app.
export function Link(props: { to: Route; children: ComponentChildren; class?: string; current?: boolean }) {
  const { navigate } = useApp();
  return (
    <a
      href={pathOf(props.to)}
      class={props.class}
      aria-current={props.current ? 'page' : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
