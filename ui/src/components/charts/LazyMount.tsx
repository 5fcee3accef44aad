/** Mounts its children once they come near the viewport (charts far below cost nothing). */
import { useEffect, useRef, useState, type ReactNode } from "react";

interface LazyMountProps {
  height: number;
  /** Mount at once (content known to be on screen). */
  eager?: boolean;
  children: ReactNode;
}

export function LazyMount({ height, eager = false, children }: LazyMountProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(eager || typeof IntersectionObserver === "undefined");
  useEffect(() => {
    if (visible || !ref.current) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setVisible(true);
      },
      { rootMargin: "400px" },
    );
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, [visible]);
  return <div ref={ref}>{visible ? children : <div style={{ height }} />}</div>;
}
