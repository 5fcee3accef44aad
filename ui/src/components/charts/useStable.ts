import { useRef } from "react";

/** The previous array when every element is the same (===): a stable memo dependency. */
export function useStableArray<T>(next: readonly T[]): readonly T[] {
  const ref = useRef(next);
  const prev = ref.current;
  if (prev.length !== next.length || prev.some((v, i) => v !== next[i])) ref.current = next;
  return ref.current;
}
