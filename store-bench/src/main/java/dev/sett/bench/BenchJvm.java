package dev.sett.bench;

/**
 * JVM arguments for JMH forks, as compile-time constants so that they can go into
 * {@code @Fork(jvmArgsAppend = ...)}. JMH starts each fork with {@code java -cp benchmarks.jar ...},
 * so the jar manifest's {@code Add-Opens}/{@code Add-Exports} do not reach it: every benchmark class
 * that opens a store must pass {@link #SETT} to its forks itself.
 *
 * <p><b>One list for JDK 17 and JDK 25.</b> JDK 25 wants {@code --enable-native-access=ALL-UNNAMED}
 * and {@code --sun-misc-unsafe-memory-access=allow} (otherwise it prints warnings when Chronicle and
 * jffi load). JDK 17 accepts the first (it arrived with JEP 412 in 17) but refuses to start with the
 * second ("Unrecognized option"). {@code -XX:+IgnoreUnrecognizedVMOptions} makes JDK 17 skip it and
 * changes nothing on 25 (both checked with java -version and with a sun.misc.Unsafe probe). Its one
 * cost: a mistyped {@code -XX:} option in the same fork is ignored silently instead of failing,
 * so keep the lists here short and checked.
 *
 * <p>Keep {@link #SETT} in step with the parent POM's {@code sett.jvm.flags} and with
 * {@code dev.sett.core.Sett.requiredJvmFlags()}; {@link ValueReadBenchmark} checks the latter at setup.
 */
final class BenchJvm {
  private BenchJvm() {
  }

  /** Heap for every fork: fixed size, pre-touched, so the first iterations do not measure page faults. */
  static final String XMS = "-Xms2g";
  static final String XMX = "-Xmx2g";
  static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

  /** What Chronicle Bytes (and so every Sett store) needs; see the parent POM's sett.jvm.flags. */
  static final String ADD_OPENS_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
  static final String ADD_EXPORTS_NIO = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
  static final String ADD_EXPORTS_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
  /** JDK 24+: silences the native-access warnings; accepted (and harmless) on 17. */
  static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
  /** Lets JDK 17 start although it does not know {@link #UNSAFE_MEMORY_ACCESS}. */
  static final String IGNORE_UNKNOWN = "-XX:+IgnoreUnrecognizedVMOptions";
  /** JDK 24+: silences the sun.misc.Unsafe warnings; unknown to 17 (see {@link #IGNORE_UNKNOWN}). */
  static final String UNSAFE_MEMORY_ACCESS = "--sun-misc-unsafe-memory-access=allow";
  /** Keeps Chronicle from logging timing lines (Sett sets it too if absent). */
  static final String NO_PERF_INFO = "-Ddisable.perf.info=true";

  /*
   * Peers (PeerReadBenchmark, PeerWriteBenchmark). None needs module flags: lmdbjava through
   * Agrona's DirectBufferProxy, RocksDB's JNI and H2 MVStore all run on 17 without them (see
   * shared/notes/peers.md). lmdbjava and RocksDB load native code (jnr/jffi, JNI) and Agrona uses
   * sun.misc.Unsafe, so on JDK 24+ their forks take NATIVE_ACCESS and UNSAFE_MEMORY_ACCESS too, only
   * to keep warnings out of the output.
   */

  /**
   * lmdbjava's run-time argument checks (transaction state, buffer bounds) off, as its own
   * benchmarks run it: the fastest configuration a user can choose, so Sett is compared with the
   * peer at its best.
   */
  static final String LMDB_NO_CHECKS = "-Dlmdbjava.disable.checks=true";
}
