package dev.sett.quickstart;

import dev.sett.api.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

public final class Sessions {
  private static final Duration IDLE_LIMIT = Duration.ofMinutes(30);

  private Sessions() {
  }

  /** Starts (or renews) a session: it lasts 30 minutes from now unless renewed. */
  public static void touch(Store store, String sessionId, byte[] state) {
    store.put(key(sessionId), state, IDLE_LIMIT);
  }

  /** The session's state, or null once it expired: no delete and no sweeper thread needed. */
  public static byte[] state(Store store, String sessionId) {
    return store.get(key(sessionId));
  }

  private static byte[] key(String sessionId) {
    return ("session/" + sessionId).getBytes(StandardCharsets.UTF_8);
  }
}
