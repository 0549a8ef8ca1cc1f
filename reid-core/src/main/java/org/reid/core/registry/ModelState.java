package org.reid.core.registry;

import java.util.Locale;

/** Life cycle of a published model: candidate -> active -> retired, or candidate -> rejected. */
public enum ModelState {
    CANDIDATE,
    ACTIVE,
    RETIRED,
    REJECTED;

    /** The lower-case form stored in the database and shown to people. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelState fromLabel(String label) {
        try {
            return valueOf(label.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown model state '" + label + "'; known: candidate, active, retired, rejected");
        }
    }
}
