package org.reid.registry;

/** The registry's storage failed (database unreachable, corrupt artifact): not the caller's input. */
public class RegistryException extends RuntimeException {
    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
