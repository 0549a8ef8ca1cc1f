package org.reid.core.loss;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Named parameters of a loss as given on a command line ({@code margin=0.3}). Each getter records
 * that the key is known, so the factory can reject a misspelt key instead of silently ignoring it.
 */
public final class LossParams {
    private final String loss;
    private final Map<String, String> values;
    private final Set<String> read = new TreeSet<>();

    public LossParams(String loss, Map<String, String> values) {
        this.loss = loss;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static LossParams empty(String loss) {
        return new LossParams(loss, Map.of());
    }

    public String loss() {
        return loss;
    }

    public double getDouble(String key, double defaultValue) {
        read.add(key);
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "loss '" + loss + "': parameter '" + key + "' must be a finite number, got '" + v + "'");
        }
    }

    /** A number that must be at least {@code min}. */
    public double getDouble(String key, double defaultValue, double min) {
        double d = getDouble(key, defaultValue);
        if (d < min) {
            throw new IllegalArgumentException(
                    "loss '" + loss + "': parameter '" + key + "' must be >= " + min + ", got " + d);
        }
        return d;
    }

    public int getInt(String key, int defaultValue, int min) {
        read.add(key);
        String v = values.get(key);
        int i;
        if (v == null) {
            i = defaultValue;
        } else {
            try {
                i = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "loss '" + loss + "': parameter '" + key + "' must be an integer, got '" + v + "'");
            }
        }
        if (i < min) {
            throw new IllegalArgumentException(
                    "loss '" + loss + "': parameter '" + key + "' must be >= " + min + ", got " + i);
        }
        return i;
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        read.add(key);
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new IllegalArgumentException(
                        "loss '" + loss + "': parameter '" + key + "' must be true or false, got '" + v + "'");
        }
    }

    public String getString(String key, String defaultValue, Set<String> allowed) {
        read.add(key);
        String v = values.getOrDefault(key, defaultValue);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(
                    "loss '" + loss + "': parameter '" + key + "' must be one of " + allowed + ", got '" + v + "'");
        }
        return v;
    }

    /** Whether {@code key} was given, whatever its value (for parameters that exclude each other). */
    boolean has(String key) {
        return values.containsKey(key);
    }

    /** Throws if a given key was never asked for by the loss being built. */
    void rejectUnknown() {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("loss '" + loss + "': unknown parameter(s) " + unknown
                    + "; known: " + read);
        }
    }

    /** The keys this loss reads, known once it was built. */
    Set<String> knownKeys() {
        return Collections.unmodifiableSet(read);
    }
}
