/** A reply before it is fitted to a channel (render.ts does that): text, options, links. */
export interface BotMessage {
  text: string;
  buttons?: { id: string; title: string }[];
  links?: { title: string; url: string }[];
}
