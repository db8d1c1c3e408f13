package dev.sett.kafka;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.test.InternalMockProcessorContext;

/**
 * A stream task's store in a JVM of its own, for {@link KillNineCommitTest}: opens the Sett store
 * under exactly-once, continues after the offset it committed last, and applies batch after batch
 * of a deterministic workload ({@link #apply}), committing each with its batch number as the
 * changelog offset and then printing {@code COMMITTED n}, until the parent kills it.
 */
public final class CommitChild {
  static final TopicPartition CHANGELOG = new TopicPartition("app-counts-changelog", 0);
  static final int KEYS = 500;

  private CommitChild() {
  }

  /** Batch {@code n}: ten puts over a rotating set of keys, and one delete. */
  static void apply(long n, Map<Bytes, byte[]> target) {
    for (int j = 0; j < 10; j++) {
      target.put(key((n * 7 + j * 31) % KEYS), ("batch " + n + " put " + j).getBytes(StandardCharsets.UTF_8));
    }
    target.put(key((n * 13) % KEYS), null);
  }

  /** The state after batches {@code 0 ... last}, as a sorted map without deleted keys. */
  static NavigableMap<Bytes, byte[]> model(long last) {
    Map<Bytes, byte[]> writes = new TreeMap<>();
    NavigableMap<Bytes, byte[]> state = new TreeMap<>();
    for (long n = 0; n <= last; n++) {
      writes.clear();
      apply(n, writes);
      writes.forEach((k, v) -> {
        if (v == null) {
          state.remove(k);
        } else {
          state.put(k, v);
        }
      });
    }
    return state;
  }

  static Bytes key(long i) {
    return Bytes.wrap(String.format("key-%05d", i).getBytes(StandardCharsets.US_ASCII));
  }

  static InternalMockProcessorContext<Object, Object> context(File stateDir) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "kill-nine");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    return new InternalMockProcessorContext<>(stateDir, new StreamsConfig(p));
  }

  public static void main(String[] args) {
    SettKeyValueStore store = (SettKeyValueStore) SettStores.persistentKeyValueStore("counts").get();
    store.init(context(new File(args[0])), store);
    Long committed = store.committedOffset(CHANGELOG);
    Map<Bytes, byte[]> batch = new TreeMap<>();
    for (long n = committed == null ? 0 : committed + 1;; n++) {
      batch.clear();
      apply(n, batch);
      batch.forEach(store::put);
      store.commit(Map.of(CHANGELOG, n));
      System.out.println("COMMITTED " + n);
      System.out.flush();
    }
  }
}
