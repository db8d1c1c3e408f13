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

  /**
   * An exception with a message that says what is missing and how to provide it.
   *
   * @param message what is missing, and the flags to add
   */
  public EnvironmentException(String message) {
    super(message);
  }

  /**
   * An exception with a message that says what is missing and how to provide it.
   *
   * @param message what is missing, and the flags to add
   * @param cause the failure that showed it
   */
  public EnvironmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
