// The centred card the signed-out pages (sign in, sign up, reset...) are laid out in.
import type { ReactNode } from "react";

export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <main id="main" className="auth-page">
      <section className="card auth-card" aria-labelledby="auth-title">
        <p className="brand">basekit</p>
        <h1 id="auth-title">{title}</h1>
        {children}
        {footer ? <div className="auth-footer">{footer}</div> : null}
      </section>
    </main>
  );
}
