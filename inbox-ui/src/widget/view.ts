import type { WidgetConfig } from '@ventanilla/hub/widget-contract';
import type { WidgetApi } from './widget-api.js';
import type { WidgetI18n } from './widget-i18n.js';

/** What every view of the panel is made of, and what it may use. */
export interface View {
  element: HTMLElement;
  /** Where focus goes when the view appears with focus in the panel (its first field). */
  focus: HTMLElement | null;
  dispose?(): void;
}

export interface ViewEnv {
  api: WidgetApi;
  config: WidgetConfig;
  i18n: WidgetI18n;
}
