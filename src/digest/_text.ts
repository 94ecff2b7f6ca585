// Text that came from the network, cut short before it goes into an error message: a server must
// not be able to flood logs through one.

/** `text`, or its first `max` characters and an ellipsis. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** Items joined with `separator`: the first `count`, each cut to `max`, then how many more. */
export function cutList(items: readonly string[], separator: string, count = 4, max = 60): string {
  const shown = items.slice(0, count).map((item) => cut(item, max)).join(separator);
  return items.length > count ? `${shown}${separator}and ${items.length - count} more` : shown;
}
