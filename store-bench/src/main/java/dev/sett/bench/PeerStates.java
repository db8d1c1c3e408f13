package dev.sett.bench;

import java.io.IOException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JMH states that hold one peer store ({@link Peers}) for a whole trial, shared by
 * {@link PeerReadBenchmark} and {@link PeerWriteBenchmark}: each loads a fresh store with the data
 * set at the start of the trial and closes it (deleting its directory) at the end. A benchmark
 * method names the state of the store it measures, so only that store is loaded in its forks.
 *
 * <p>Sett's states are not here: the read benchmark holds a snapshot open for the whole trial and
 * the write benchmark must not, so each benchmark keeps its own.
 */
public final class PeerStates {
  private PeerStates() {
  }

  /** lmdbjava, loaded. */
  @State(Scope.Benchmark)
  public static class LmdbState {
    Peers.Lmdb lmdb;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      lmdb = Peers.Lmdb.load();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      if (lmdb != null) {
        lmdb.close();
      }
    }
  }

  /** RocksDB, loaded, flushed and compacted. */
  @State(Scope.Benchmark)
  public static class RocksState {
    Peers.Rocks rocks;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      rocks = Peers.Rocks.load();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      if (rocks != null) {
        rocks.close();
      }
    }
  }

  /** H2 MVStore, loaded and committed. */
  @State(Scope.Benchmark)
  public static class MvState {
    Peers.MvStore mv;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      mv = Peers.MvStore.load();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      if (mv != null) {
        mv.close();
      }
    }
  }
}
