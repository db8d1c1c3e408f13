package dev.sett.core;

import java.util.HashMap;
import java.util.Map;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of {@link HashIndex} and of the real reader, {@link Lookup#find}, under the
 * index's threading contract (class Javadoc): one writer mutates (put, remove, compaction's
 * conditional replace; Lincheck's {@code nonParallelGroup} keeps those operations on one thread),
 * any number of readers look keys up without locks. The sequential specification is a
 * {@link HashMap} from key to the sequence number of its newest record.
 *
 * <p>Positions point at real records appended to a segment in memory, so readers run the engine's
 * own probe, key comparison against the record and type check. Three hashes are shared by
 * twenty-odd keys (long probe chains), and the constructor fills the table to just below its growth
 * threshold, so scenarios grow it while readers probe.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:3")
@Tag("reliability")
public class HashIndexLinearizabilityTest {
  private static final int FILLERS = 18;
  private static final int SEGMENT = 1;

  private final Segment segment = new Segment(SEGMENT, java.nio.file.Path.of("lincheck.seg"),
      new HeapRegion(new byte[4 << 10], 4 << 10), SegmentFormat.HEADER_SIZE, Segment::unmap);
  private final HashIndex.KeyMatcher matcher = (position, key) ->
      Position.segment(position) == SEGMENT && segment.keyEquals(Position.offset(position), key);
  private final HashIndex index = new HashIndex(16);
  private final SegmentPins pins = new LatestPins() {
    @Override
    public Segment acquire(int id) {
      return id == SEGMENT ? segment : null;
    }
  };
  private long version;

  public HashIndexLinearizabilityTest() {
    for (int i = 0; i < FILLERS; i++) {
      int filler = 1000 + i;
      index.put(key(filler), hash(filler), append(filler, ++version), false, matcher);
    }
  }

  static byte[] key(int k) {
    return new byte[] {(byte) (k >>> 24), (byte) (k >>> 16), (byte) (k >>> 8), (byte) k};
  }

  /** Few distinct hashes, so keys collide and probe past each other. */
  static int hash(int k) {
    return k % 3;
  }

  /** Appends a put record of key {@code k} with sequence {@code seq}; returns its position. */
  private long append(int k, long seq) {
    int off = segment.append(SegmentFormat.TYPE_PUT, SegmentFormat.FLAG_COMMIT, key(k), new byte[] {1}, seq,
        Position.NONE);
    return Position.of(SEGMENT, off);
  }

  /** The sequence number of the record at {@code position}, or -1 for none. */
  private long sequence(long position) {
    return position == Position.NONE ? -1 : segment.sequence(Position.offset(position));
  }

  @Operation(nonParallelGroup = "writer")
  public long put(@Param(name = "key") int k) {
    return sequence(index.put(key(k), hash(k), append(k, ++version), false, matcher));
  }

  @Operation(nonParallelGroup = "writer")
  public boolean remove(@Param(name = "key") int k) {
    long current = index.find(key(k), hash(k), matcher);
    return current != Position.NONE && index.remove(hash(k), current);
  }

  /** Compaction's swap: the key's record is copied (same sequence number) and the entry moved. */
  @Operation(nonParallelGroup = "writer")
  public boolean move(@Param(name = "key") int k) {
    long current = index.find(key(k), hash(k), matcher);
    return current != Position.NONE && index.replace(hash(k), current, append(k, sequence(current)));
  }

  /** A reader: the engine's own lookup. */
  @Operation
  public long get(@Param(name = "key") int k) {
    ReadContext ctx = new ReadContext();
    if (!Lookup.find(index, key(k), hash(k), pins, ctx)) {
      return -1;
    }
    return ctx.segment.sequence(ctx.offset);
  }

  /** The sequential specification. */
  public static final class Model {
    private final Map<Integer, Long> map = new HashMap<>();
    private long version = FILLERS;

    public long put(int k) {
      Long previous = map.put(k, ++version);
      return previous == null ? -1 : previous;
    }

    public boolean remove(int k) {
      return map.remove(k) != null;
    }

    public boolean move(int k) {
      return map.containsKey(k);
    }

    public long get(int k) {
      Long seq = map.get(k);
      return seq == null ? -1 : seq;
    }
  }

  @Test
  void modelChecking() {
    // Half the scenarios of the index-only version: each now runs the real lookup over real
    // records, which Lincheck's instrumented run makes about four times as slow.
    int iterations = ReliabilityScale.pick(50, 1000);
    int invocations = 1000;
    new ModelCheckingOptions()
        .iterations(iterations)
        .invocationsPerIteration(invocations)
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(4)
        .actorsAfter(1)
        .sequentialSpecification(Model.class)
        .check(HashIndexLinearizabilityTest.class);
    ReliabilityScale.record("linearizability: HashIndex, model checking",
        iterations + " scenarios x up to " + invocations + " interleavings = up to " + (long) iterations * invocations
            + " invocations, 0 violations");
  }

  @Test
  void stress() {
    int iterations = ReliabilityScale.pick(30, 300);
    int invocations = 2000;
    new StressOptions()
        .iterations(iterations)
        .invocationsPerIteration(invocations)
        .threads(3)
        .actorsPerThread(4)
        .sequentialSpecification(Model.class)
        .check(HashIndexLinearizabilityTest.class);
    ReliabilityScale.record("linearizability: HashIndex, stress",
        iterations + " scenarios x " + invocations + " runs = " + (long) iterations * invocations
            + " invocations, 0 violations");
  }
}
