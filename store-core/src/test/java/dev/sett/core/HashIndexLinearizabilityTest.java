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
 * Linearizability of {@link HashIndex} under its threading contract (class Javadoc): one writer
 * mutates (put, remove, compaction's conditional replace; Lincheck's {@code nonParallelGroup}
 * keeps those operations on one thread), any number of readers probe without locks, as
 * {@link Lookup} does. The sequential specification is a {@link HashMap}.
 *
 * <p>A position stands for a record: {@code key << 32 | version}, so the key matcher needs no
 * segment. Three hashes are shared by twenty-odd keys (long probe chains), and the constructor
 * fills the table to just below its growth threshold, so scenarios grow it while readers probe.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:3")
@Tag("reliability")
public class HashIndexLinearizabilityTest {
  private static final int FILLERS = 18;
  private static final HashIndex.KeyMatcher MATCHER = (position, key) -> (int) (position >>> 32) == keyOf(key);

  private final HashIndex index = new HashIndex(16);
  private long version;

  public HashIndexLinearizabilityTest() {
    for (int i = 0; i < FILLERS; i++) {
      int filler = 1000 + i;
      index.put(key(filler), hash(filler), position(filler, ++version), MATCHER);
    }
  }

  static byte[] key(int k) {
    return new byte[] {(byte) (k >>> 24), (byte) (k >>> 16), (byte) (k >>> 8), (byte) k};
  }

  static int keyOf(byte[] key) {
    return (key[0] & 0xFF) << 24 | (key[1] & 0xFF) << 16 | (key[2] & 0xFF) << 8 | (key[3] & 0xFF);
  }

  /** Few distinct hashes, so keys collide and probe past each other. */
  static int hash(int k) {
    return k % 3;
  }

  static long position(int k, long version) {
    return (long) k << 32 | version;
  }

  @Operation(nonParallelGroup = "writer")
  public long put(@Param(name = "key") int k) {
    return index.put(key(k), hash(k), position(k, ++version), MATCHER);
  }

  @Operation(nonParallelGroup = "writer")
  public boolean remove(@Param(name = "key") int k) {
    long current = index.find(key(k), hash(k), MATCHER);
    return current != Position.NONE && index.remove(hash(k), current);
  }

  /** Compaction's swap: the key's record moved to a new position. */
  @Operation(nonParallelGroup = "writer")
  public boolean move(@Param(name = "key") int k) {
    long current = index.find(key(k), hash(k), MATCHER);
    return current != Position.NONE && index.replace(hash(k), current, position(k, ++version));
  }

  /** A reader's lock-free probe, as {@link Lookup#find} does it. */
  @Operation
  public long get(@Param(name = "key") int k) {
    byte[] key = key(k);
    int h = hash(k);
    HashIndex.Table t = index.table();
    for (int i = h & t.mask;; i = (i + 1) & t.mask) {
      long p = t.position(i);
      if (p == HashIndex.EMPTY) {
        return Position.NONE;
      }
      if (p != HashIndex.DELETED && t.hash(i) == h && MATCHER.matches(p, key)) {
        return p;
      }
    }
  }

  /** The sequential specification. */
  public static final class Model {
    private final Map<Integer, Long> map = new HashMap<>();
    private long version = FILLERS;

    public long put(int k) {
      Long previous = map.put(k, position(k, ++version));
      return previous == null ? Position.NONE : previous;
    }

    public boolean remove(int k) {
      return map.remove(k) != null;
    }

    public boolean move(int k) {
      if (!map.containsKey(k)) {
        return false;
      }
      map.put(k, position(k, ++version));
      return true;
    }

    public long get(int k) {
      Long p = map.get(k);
      return p == null ? Position.NONE : p;
    }
  }

  @Test
  void modelChecking() {
    int iterations = ReliabilityScale.pick(100, 1000);
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
