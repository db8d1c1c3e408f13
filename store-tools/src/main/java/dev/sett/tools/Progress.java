package dev.sett.tools;

import dev.sett.api.StoreException;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import me.tongfei.progressbar.ProgressState;

/**
 * A progress bar on stderr (me.tongfei:progressbar), redrawn in place with {@code \r} by the
 * library's own thread. Draws nothing when disabled, so callers need no checks of their own. The bar
 * is drawn through the command's stderr writer with a fixed width ({@code $COLUMNS}, else 80), so
 * the library never opens a terminal of its own (no JLine, no native code). One bar at a time; the
 * calls come from one thread.
 */
final class Progress {
  private final PrintWriter err;
  private final boolean enabled;
  private ProgressBar bar;
  private WriterConsumer consumer;
  private long total;

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

  /** Starts a bar of {@code total} steps (ending any bar still drawn). */
  void start(String label, long total) {
    begin(label, total);
  }

  /** Starts a bar for work of unknown length: it shows the elapsed time until {@link #finish()}. */
  void startIndefinite(String label) {
    begin(label, -1);
  }

  private void begin(String label, long max) {
    abandon();
    if (!enabled) {
      return;
    }
    total = max;
    ProgressBarBuilder builder = new ProgressBarBuilder()
        .setTaskName(label)
        .setInitialMax(max)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(100)
        .continuousUpdate()
        .setConsumer(consumer = new WriterConsumer(err, width()));
    if (max < 0) {
      builder.setRenderer(Progress::renderIndefinite);
    }
    bar = builder.build();
  }

  /**
   * Runs {@code work}, an engine call on a store, under a bar of unknown length: finished when it
   * returns, abandoned when it throws, and a {@link StoreException} turned into the tool's one-line
   * error with the exit code for a store that cannot be opened.
   */
  <T> T around(String label, java.util.function.Supplier<T> work) {
    startIndefinite(label);
    try {
      T result = work.get();
      finish();
      return result;
    } catch (StoreException e) {
      abandon();
      throw Errors.openFailure(e);
    }
  }

  /** Reports {@code done} of the total; cheap enough to call on every item. */
  void update(long done) {
    if (bar != null) {
      bar.stepTo(done);
    }
  }

  /** Draws the final state and ends the line. */
  void finish() {
    if (bar != null) {
      if (total >= 0) {
        bar.stepTo(total);
      } else {
        bar.maxHint(bar.getCurrent());
      }
      abandon();
    }
  }

  /**
   * Ends a bar left unfinished by a task that failed, so that the error message starts on a line
   * of its own; does nothing after {@link #finish()} or if nothing was drawn.
   */
  void abandon() {
    if (bar != null) {
      bar.close();
      consumer.close(); // the library does not end the line in every case; this does, once
      bar = null;
    }
  }

  /** Work of unknown length: the label, a spinner while it runs, and the elapsed time. */
  private static String renderIndefinite(ProgressState state, int maxLength) {
    long seconds = state.getTotalElapsed().getSeconds();
    String spinner = state.isAlive() ? String.valueOf("|/-\\".charAt((int) (System.nanoTime() / 250_000_000L % 4)))
        : "done";
    String line = String.format(Locale.ROOT, "%s %s %d:%02d", state.getTaskName(), spinner, seconds / 60, seconds % 60);
    return line.length() > maxLength ? line.substring(0, maxLength) : line;
  }

  private static int width() {
    try {
      int columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim());
      return Math.max(40, columns);
    } catch (NumberFormatException e) {
      return 80;
    }
  }

  /** Draws on the command's stderr writer, so tests and picocli's redirection see the bar too. */
  private static final class WriterConsumer implements ProgressBarConsumer {
    private final PrintWriter err;
    private final int width;
    private int last;
    private boolean closed;

    WriterConsumer(PrintWriter err, int width) {
      this.err = err;
      this.width = width;
    }

    @Override
    public int getMaxRenderedLength() {
      return width - 1;
    }

    @Override
    public synchronized void accept(String rendered) {
      if (closed) {
        return;
      }
      int pad = Math.max(0, last - rendered.length());
      err.print("\r" + rendered + " ".repeat(pad));
      err.flush();
      last = rendered.length();
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      err.println();
      err.flush();
    }
  }
}
