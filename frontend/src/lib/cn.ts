type ClassPart = string | false | null | undefined;

/** Joins the class names that are set; `cn('a', cond && 'b')`. */
export function cn(...parts: ClassPart[]): string {
  return parts.filter(Boolean).join(' ');
}
