package example;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.core.Sett;
import java.nio.file.Path;

/** Compiles against the API and the engine as a user's code would. */
public final class UsesSett {
  private UsesSett() {
  }

  /**
   * Opens a store.
   *
   * @param dir the store directory
   * @return the store
   */
  public static Store open(Path dir) {
    return Sett.open(dir, StoreOptions.defaults());
  }
}
