import type { WidgetLocale } from '@ventanilla/hub/widget-contract';
import type { WidgetPalette } from './contrast.js';
import { h, icon, ICONS } from './dom.js';
import type { Translate } from './widget-i18n.js';
import { widgetCss } from './widget-styles.js';

export interface ShellOptions {
  t: Translate;
  locale: WidgetLocale;
  title: string;
  position: 'bottom-right' | 'bottom-left';
  palette: WidgetPalette;
  onOpenChange(open: boolean): void;
}

/**
 * The frame around every view: a launcher button and a non-modal, labelled dialog with a heading,
 * in an open shadow root (open so assistive technology and axe can walk it). Escape closes the
 * panel and gives focus back to the launcher (WCAG 2.1.1, 2.4.3).
 */
export class WidgetShell {
  readonly root: ShadowRoot;
  readonly body: HTMLElement;
  private readonly container: HTMLElement;
  private readonly launcher: HTMLButtonElement;
  private readonly badge: HTMLElement;
  private readonly panel: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly actions: HTMLElement;
  /** Where focus goes when the panel opens: the current view's first field. */
  private viewFocus: HTMLElement | null = null;

  constructor(
    host: HTMLElement,
    private readonly options: ShellOptions,
  ) {
    const { t } = options;
    this.root = host.attachShadow({ mode: 'open' });
    this.badge = h('span', { class: 'vw-badge', hidden: true });
    this.launcher = h('button', { type: 'button', class: 'vw-launcher', 'aria-expanded': 'false', 'aria-controls': 'vw-panel' }, icon(ICONS.chat), h('span', {}, t('launcher.label')), this.badge);
    this.heading = h('h2', { id: 'vw-title', class: 'vw-title', tabindex: -1 }, options.title);
    this.actions = h('div', { class: 'vw-header-actions' });
    const minimize = h('button', { type: 'button', class: 'vw-icon-btn', 'aria-label': t('panel.minimize'), title: t('panel.minimize') }, icon(ICONS.close));
    this.body = h('div', { class: 'vw-body' });
    this.panel = h(
      'section',
      { id: 'vw-panel', class: 'vw-panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'vw-title', hidden: true },
      h('div', { class: 'vw-header' }, this.heading, this.actions, minimize),
      this.body,
    );
    this.container = h('aside', { class: 'vw', lang: options.locale, 'aria-label': t('widget.region'), 'data-position': options.position }, this.launcher, this.panel);
    adoptStyles(this.root, widgetCss(options.palette));
    this.root.append(this.container);

    this.launcher.addEventListener('click', () => (this.isOpen ? this.close() : this.open()));
    minimize.addEventListener('click', () => this.close());
    this.panel.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      // The confirm dialog handles its own Escape (cancel): the panel stays open behind it.
      if (event.target instanceof Element && event.target.closest('dialog')) return;
      event.preventDefault();
      this.close();
    });
  }

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  /**
   * Opens the panel; focus goes to `focus` (the view's first field) or else the heading — except
   * when a reload reopens it (`moveFocus` false): the visitor may be reading the page.
   */
  open(focus?: HTMLElement | null, moveFocus = true): void {
    const wasOpen = this.isOpen;
    this.panel.hidden = false;
    this.container.setAttribute('data-open', '');
    this.launcher.setAttribute('aria-expanded', 'true');
    this.setUnread(0);
    if (moveFocus) (focus ?? this.viewFocus ?? this.heading).focus();
    if (!wasOpen) this.options.onOpenChange(true);
  }

  close(returnFocus = true): void {
    if (!this.isOpen) return;
    this.panel.hidden = true;
    this.container.removeAttribute('data-open');
    this.launcher.setAttribute('aria-expanded', 'false');
    if (returnFocus) this.launcher.focus();
    this.options.onOpenChange(false);
  }

  /**
   * Replaces the panel's content. Focus follows only if it was in the panel (the old content or
   * a header button about to go would drop it on the page's body); a visitor reading the host
   * page keeps their place.
   */
  show(view: HTMLElement, focus?: HTMLElement | null): void {
    const hadFocus = this.isOpen && this.panel.contains(this.root.activeElement);
    this.viewFocus = focus ?? null;
    this.body.replaceChildren(view);
    if (hadFocus) (focus ?? this.heading).focus();
  }

  /** Buttons in the header beside the title (the end-chat button). */
  setActions(...nodes: HTMLElement[]): void {
    this.actions.replaceChildren(...nodes);
  }

  setUnread(count: number): void {
    this.badge.hidden = count === 0;
    this.badge.replaceChildren(h('span', { 'aria-hidden': 'true' }, String(count)), h('span', { class: 'vw-sr' }, count === 1 ? this.options.t('launcher.unreadOne') : this.options.t('launcher.unread', { count })));
  }
}

/**
 * A constructed stylesheet where the browser has them: ministries' pages often send a strict
 * Content-Security-Policy, which blocks an inline <style> but not CSSOM. Older browsers get <style>.
 */
function adoptStyles(root: ShadowRoot, css: string): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
    return;
  }
  root.append(h('style', {}, css));
}
