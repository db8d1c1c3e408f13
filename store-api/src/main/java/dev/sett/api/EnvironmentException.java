package dev.sett.api;

/**
 * The JVM Sett runs in lacks something it needs, typically the {@code --add-opens} and
 * {@code --add-exports} flags that the memory-mapping library requires. The message lists the exact
 * flags to add for the running JDK.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public class EnvironmentException extends StoreException {
  private static final long serialVersionUID = 1L;

  public EnvironmentException(String message) {
    super(message);
  }

  public EnvironmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
