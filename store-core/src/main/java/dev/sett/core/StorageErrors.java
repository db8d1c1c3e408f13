package dev.sett.core;

import java.io.IOException;

/** Classifies I/O failures. */
final class StorageErrors {
  private StorageErrors() {
  }

  /** Whether the failure (or one of its causes) reports a full disk or exhausted quota. */
  static boolean isDiskFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (t instanceof IOException && m != null
          && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }
}
