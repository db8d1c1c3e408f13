package dev.sett.core;

import dev.sett.api.InvalidInputException;
import dev.sett.api.LongValueReader;
import dev.sett.api.ValueReader;

/**
 * The store's reads outside snapshots: {@code get} (a copy), {@code contains}, and {@code read} /
 * {@code readLong} (a view of the mapping valid during a callback). Each runs inside a
 * {@link ReadEpochs read epoch} rather than pinning its segment, and reads at the writer's visible
 * sequence number, asked again whenever a lookup restarts.
 *
 * <p>Thread-safe; per-thread scratch lives in {@link ReadContext}.
 */
final class PlainReads implements SegmentPins {
  private static final ThreadLocal<ReadContext> CONTEXT = ThreadLocal.withInitial(ReadContext::new);

  private final SettStore store;
  private final SegmentTable table;
  private final HashIndex index;
  private final Writer writer;
  private final ReadEpochs epochs;
  private final java.time.InstantSource clock;

  PlainReads(SettStore store, SegmentTable table, HashIndex index, Writer writer, ReadEpochs epochs) {
    this.store = store;
    this.table = table;
    this.index = index;
    this.writer = writer;
    this.epochs = epochs;
    this.clock = store.options().clock();
  }

  @Override
  public long readSequence() {
    return writer.visibleSequence();
  }

  @Override
  public long readTime() {
    return clock.millis();
  }

  /**
   * Plain reads run inside a read epoch ({@link ReadEpochs}) instead of pinning: a segment found in
   * the table stays mapped until the read leaves its epoch.
   */
  @Override
  public Segment acquire(int id) {
    Segment s = table.get(id);
    if (s == null) {
      store.checkOpen();
    }
    return s;
  }

  @Override
  public void release(Segment segment) {
    // nothing: the read's epoch protects the segment
  }

  @Override
  public void checkOpen() {
    store.checkOpen();
  }

  /**
   * Finds the newest visible record of {@code key} into the thread's context; null if the key is
   * absent. The caller is inside a read epoch until it is done with the segment.
   */
  private ReadContext locate(byte[] key) {
    store.checkOpen();
    store.checks().key(key);
    ReadContext ctx = context();
    return Lookup.find(index, key, KeyHash.hash(key), this, ctx) ? ctx : null;
  }

  byte[] get(byte[] key) {
    ReadEpochs.Slot epoch = epochs.enter();
    try {
      ReadContext ctx = locate(key);
      if (ctx == null) {
        return null;
      }
      store.verifyIfAsked(ctx.segment, ctx.offset);
      return ctx.segment.copyValue(ctx.offset);
    } finally {
      epochs.exit(epoch);
    }
  }

  boolean contains(byte[] key) {
    ReadEpochs.Slot epoch = epochs.enter();
    try {
      return locate(key) != null;
    } finally {
      epochs.exit(epoch);
    }
  }

  <R> R read(byte[] key, ValueReader<R> reader) {
    ReadEpochs.Slot epoch = epochs.enter();
    try {
      ReadContext ctx = locateForCallback(key, reader);
      if (ctx == null) {
        return null;
      }
      CallbackView view = viewOf(ctx);
      try {
        return reader.read(view);
      } finally {
        end(ctx, view);
      }
    } finally {
      epochs.exit(epoch);
    }
  }

  long readLong(byte[] key, LongValueReader reader, long ifAbsent) {
    ReadEpochs.Slot epoch = epochs.enter();
    try {
      ReadContext ctx = locateForCallback(key, reader);
      if (ctx == null) {
        return ifAbsent;
      }
      CallbackView view = viewOf(ctx);
      try {
        return reader.read(view);
      } finally {
        end(ctx, view);
      }
    } finally {
      epochs.exit(epoch);
    }
  }

  /** Finds the key for a callback read, or returns null if absent. */
  private ReadContext locateForCallback(byte[] key, Object reader) {
    if (reader == null) {
      throw new InvalidInputException("reader must not be null");
    }
    ReadContext ctx = locate(key);
    if (ctx != null) {
      store.verifyIfAsked(ctx.segment, ctx.offset);
    }
    return ctx;
  }

  /** A view of the found value for one callback; nested reads on this thread get their own context. */
  private static CallbackView viewOf(ReadContext ctx) {
    Segment s = ctx.segment;
    CallbackView view = new CallbackView(s, s.valueOffset(ctx.offset), s.valueLength(ctx.offset));
    ctx.depth++;
    return view;
  }

  private static void end(ReadContext ctx, CallbackView view) {
    ctx.depth--;
    view.end();
  }

  /** The thread's context, or a fresh one when a callback reads the store again (nesting). */
  static ReadContext context() {
    ReadContext ctx = CONTEXT.get();
    return ctx.depth == 0 ? ctx : new ReadContext();
  }
}
