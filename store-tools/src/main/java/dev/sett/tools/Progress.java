package dev.sett.tools;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * A one-line progress display on stderr, redrawn in place with {@code \r} at most ten times a second.
 * Draws nothing when disabled, so callers need no checks of their own. Not thread-safe.
 */
final class Progress {
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter err;
  private final boolean enabled;
  private String label = "";
  private long total;
  private long started;
  private long lastDraw;
  private int lastWidth;

  Progress(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  /**
   * Whether this process writes to a terminal, where redrawing a line makes sense. On JDK 22+
   * {@link System#console()} is non-null even when output is redirected, so there
   * {@code Console.isTerminal()} (called reflectively: this code compiles for 17) decides.
   */
  static boolean interactive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 17-21: a console exists only when attached to a terminal
    }
  }

  void start(String label, long total) {
    this.label = label;
    this.total = total;
    this.started = System.nanoTime();
    this.lastDraw = 0;
    draw(0);
  }

  /** Reports {@code done} of the total; cheap enough to call on every item. */
  void update(long done) {
    if (enabled && System.nanoTime() - lastDraw >= REDRAW_NANOS) {
      draw(done);
    }
  }

  /** Draws the final state and ends the line. */
  void finish() {
    if (enabled) {
      draw(total);
      err.println();
      err.flush();
      lastWidth = 0;
    }
  }

  /**
   * Ends a line left unfinished by a task that failed, so that the error message starts on a line
   * of its own; does nothing after {@link #finish()} or if nothing was drawn.
   */
  void abandon() {
    if (enabled && lastWidth > 0) {
      err.println();
      err.flush();
      lastWidth = 0;
    }
  }

  private void draw(long done) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    lastDraw = now;
    int percent = total == 0 ? 100 : (int) (100 * done / total);
    String line = String.format(Locale.ROOT, "%s %,d / %,d (%d%%) %.1f s", label, done, total, percent,
        (now - started) / 1e9);
    int pad = Math.max(0, lastWidth - line.length());
    err.print("\r" + line + " ".repeat(pad));
    err.flush();
    lastWidth = line.length();
  }
}
