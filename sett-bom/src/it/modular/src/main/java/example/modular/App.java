package example.modular;

import dev.sett.api.ByteView;
import dev.sett.api.EnvironmentException;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.core.Sett;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Opens a store from the module path, writes enough to roll several segments, overwrites half the
 * keys, compacts, reads back through copies and zero-copy views, and reopens. Prints the modules its
 * types came from and Sett's own account of the JVM flags; exits 3 if Sett reports a missing flag.
 */
public final class App {
  private App() {
  }

  /**
   * Runs the check.
   *
   * @param args the store directory
   */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    StoreOptions options = StoreOptions.builder().segmentSize(StoreOptions.MIN_SEGMENT_SIZE).build();
    try {
      try (Store store = Sett.open(dir, options)) {
        for (int round = 0; round < 2; round++) {
          for (int i = 0; i < 5_000; i += round + 1) {
            store.put(key(i), ByteBuffer.allocate(100).putInt(0, i * 10 + round).array());
          }
        }
        store.compact();
      }
      try (Store store = Sett.open(dir, options); Snapshot snapshot = store.snapshot()) {
        for (int i = 0; i < 5_000; i++) {
          int expected = i * 10 + (i % 2 == 0 ? 1 : 0);
          ByteView view = snapshot.get(key(i));
          if (view == null || view.getInt(0) != expected
              || ByteBuffer.wrap(store.get(key(i))).getInt(0) != expected) {
            throw new AssertionError("key " + i + " does not read back " + expected);
          }
        }
        System.out.println("keys " + store.stats().liveKeys());
      }
    } catch (EnvironmentException e) {
      System.out.println("environment: " + e.getMessage());
      System.exit(3);
    }
    System.out.println("modules " + App.class.getModule().getName() + " " + Store.class.getModule().getName()
        + " " + Sett.class.getModule().getName());
    System.out.println("flags " + Sett.requiredJvmFlags());
  }

  private static byte[] key(int i) {
    return String.format("key-%06d", i).getBytes(StandardCharsets.UTF_8);
  }
}
