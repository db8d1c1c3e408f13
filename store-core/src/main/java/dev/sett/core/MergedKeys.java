package dev.sett.core;

import dev.sett.api.KeyRange;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The keys of a range across the levels of {@link OrderedKeys}, merged in the range's direction,
 * each key once (a key dropped and written again sits in two levels). With one source, as after a
 * merge finished, keys pass straight through.
 *
 * <p>The sources sit in a binary heap ordered by their current keys, so a step costs about two
 * comparisons per heap level plus one to skip a duplicate, not two per source: a store holds a
 * handful of runs of falling sizes, and comparing every run's head at every step was a third of a
 * scan's time.
 *
 * <p>Single-threaded, like the cursor that owns it.
 */
final class MergedKeys implements Iterator<byte[]> {
  /** One level's keys of the range, in the range's direction. */
  abstract static class Source {
    /** The current key, or null when the source is exhausted. */
    byte[] head;

    abstract void advance();
  }

  /** The sources not yet exhausted, a min-heap (in the range's direction) by {@code head}. */
  private final Source[] heap;
  private int size;
  private final boolean reverse;
  private byte[] next;

  MergedKeys(List<Source> all, boolean reverse) {
    this.heap = all.stream().filter(s -> s.head != null).toArray(Source[]::new);
    this.size = heap.length;
    this.reverse = reverse;
    for (int i = (size >>> 1) - 1; i >= 0; i--) {
      siftDown(i);
    }
    this.next = pick();
  }

  @Override
  public boolean hasNext() {
    return next != null;
  }

  @Override
  public byte[] next() {
    byte[] k = next;
    if (k == null) {
      throw new NoSuchElementException();
    }
    next = pick();
    return k;
  }

  private byte[] pick() {
    if (size == 0) {
      return null;
    }
    Source top = heap[0];
    byte[] best = top.head;
    if (size == 1) {
      top.advance();
      if (top.head == null) {
        size = 0;
      }
      return best;
    }
    advanceTop();
    // Another level holding the same key has it as its head now, at the top: take it once.
    while (size > 0 && Arrays.equals(heap[0].head, best)) {
      advanceTop();
    }
    return best;
  }

  /** Moves the top source to its next key and restores the heap; an exhausted source leaves. */
  private void advanceTop() {
    Source top = heap[0];
    top.advance();
    if (top.head == null) {
      heap[0] = heap[--size];
      heap[size] = null;
    }
    if (size > 1) {
      siftDown(0);
    }
  }

  private void siftDown(int i) {
    Source s = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && less(heap[right].head, heap[child].head)) {
        child = right;
      }
      if (!less(heap[child].head, s.head)) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = s;
  }

  /** Whether key {@code a} comes before key {@code b} in the range's direction. */
  private boolean less(byte[] a, byte[] b) {
    int c = Arrays.compareUnsigned(a, b);
    return reverse ? c > 0 : c < 0;
  }

  /** The keys of {@code range} in a delta, read from its leaves as they are when the scan starts. */
  static Source of(DeltaKeys delta, KeyRange range) {
    Source s = range.isReverse()
        ? new DeltaBackward(delta.directory(), range.lowerBound(), range.upperBound())
        : new DeltaForward(delta.directory(), range.lowerBound(), range.upperBound());
    s.advance();
    return s;
  }

  /** Each leaf is an immutable array: once read, it is walked as it was. */
  private static final class DeltaForward extends Source {
    private final byte[][][] dir;
    private final byte[] to;
    private int leafIndex;
    private byte[][] leaf;
    private int i;

    DeltaForward(byte[][][] dir, byte[] from, byte[] to) {
      this.dir = dir;
      this.to = to;
      leafIndex = from == null ? 0 : DeltaKeys.leafFor(dir, from);
      leaf = DeltaKeys.leaf(dir, leafIndex);
      int at = from == null ? 0 : DeltaKeys.search(leaf, from);
      i = (at >= 0 ? at : -at - 1) - 1;
    }

    @Override
    void advance() {
      i++;
      while (i >= leaf.length) {
        if (++leafIndex >= dir.length) {
          head = null;
          return;
        }
        leaf = DeltaKeys.leaf(dir, leafIndex);
        i = 0;
      }
      byte[] k = leaf[i];
      head = to != null && OrderedKeys.ORDER.compare(k, to) >= 0 ? null : k;
    }
  }

  private static final class DeltaBackward extends Source {
    private final byte[][][] dir;
    private final byte[] from;
    private int leafIndex;
    private byte[][] leaf;
    private int i;

    DeltaBackward(byte[][][] dir, byte[] from, byte[] to) {
      this.dir = dir;
      this.from = from;
      leafIndex = to == null ? dir.length - 1 : DeltaKeys.leafFor(dir, to);
      leaf = DeltaKeys.leaf(dir, leafIndex);
      if (to == null) {
        i = leaf.length;
      } else {
        int at = DeltaKeys.search(leaf, to);
        i = at >= 0 ? at : -at - 1; // the first key not below the (exclusive) upper bound
      }
    }

    @Override
    void advance() {
      i--;
      while (i < 0) {
        if (--leafIndex < 0) {
          head = null;
          return;
        }
        leaf = DeltaKeys.leaf(dir, leafIndex);
        i = leaf.length - 1;
      }
      byte[] k = leaf[i];
      head = from != null && OrderedKeys.ORDER.compare(k, from) < 0 ? null : k;
    }
  }

  /** The live keys of {@code range} in a run. */
  static Source of(KeyRun run, KeyRange range) {
    byte[] from = range.lowerBound();
    byte[] to = range.upperBound();
    int lo = from == null ? 0 : run.ceiling(from);
    int hi = to == null ? run.size() : run.ceiling(to); // exclusive
    Source s = range.isReverse() ? new Source() {
      int i = hi;

      @Override
      void advance() {
        do {
          i--;
        } while (i >= lo && run.isDead(i));
        head = i >= lo ? run.key(i) : null;
      }
    } : new Source() {
      int i = lo - 1;

      @Override
      void advance() {
        do {
          i++;
        } while (i < hi && run.isDead(i));
        head = i < hi ? run.key(i) : null;
      }
    };
    s.advance();
    return s;
  }
}
