package example.flags;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.core.Sett;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Opens a store, writes and reads a key: the whole of what needs Sett's JVM flags. */
public final class Main {
  private Main() {
  }

  /**
   * Writes {@code greeting = hello} into the store at {@code args[0]} and prints it back.
   *
   * @param args the store directory
   */
  public static void main(String[] args) {
    try (Store store = Sett.open(Path.of(args[0]), StoreOptions.defaults())) {
      store.put(bytes("greeting"), bytes("hello"));
      System.out.println("read " + new String(store.get(bytes("greeting")), StandardCharsets.UTF_8));
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
