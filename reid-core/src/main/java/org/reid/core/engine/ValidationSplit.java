package org.reid.core.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.reid.core.data.ReidImage;

/**
 * Holds some training identities out as a query/gallery split for model selection, so the best
 * checkpoint is chosen without looking at the test split. For each held-out identity seen by two
 * or more cameras, the first image of each camera is a query and the rest form the gallery (so
 * every query has a cross-camera match); single-camera identities go to the gallery only.
 */
public record ValidationSplit(List<ReidImage> train, List<ReidImage> query, List<ReidImage> gallery) {

    public ValidationSplit {
        train = List.copyOf(train);
        query = List.copyOf(query);
        gallery = List.copyOf(gallery);
    }

    /** No held-out identities: everything trains, nothing validates. */
    public static ValidationSplit none(List<ReidImage> train) {
        return new ValidationSplit(train, List.of(), List.of());
    }

    public boolean isEmpty() {
        return query.isEmpty();
    }

    /** Holds {@code identities} randomly chosen (by {@code seed}) training identities out. */
    public static ValidationSplit holdOut(List<ReidImage> train, int identities, long seed) {
        if (identities == 0) {
            return none(train);
        }
        Map<Integer, List<ReidImage>> byPid = new TreeMap<>();
        for (ReidImage image : train) {
            byPid.computeIfAbsent(image.pid(), p -> new ArrayList<>()).add(image);
        }
        if (identities > byPid.size() - 2) {
            throw new IllegalArgumentException("val-identities=" + identities + " leaves fewer than 2 of the "
                    + byPid.size() + " training identities to train on");
        }
        List<Integer> pids = new ArrayList<>(byPid.keySet());
        Collections.shuffle(pids, new Random(seed));
        List<Integer> held = pids.subList(0, identities);
        List<ReidImage> rest = new ArrayList<>();
        List<ReidImage> query = new ArrayList<>();
        List<ReidImage> gallery = new ArrayList<>();
        for (ReidImage image : train) {
            if (!held.contains(image.pid())) {
                rest.add(image);
            }
        }
        for (int pid : held) {
            Map<Integer, List<ReidImage>> byCamera = new LinkedHashMap<>();
            for (ReidImage image : byPid.get(pid)) {
                byCamera.computeIfAbsent(image.camId(), c -> new ArrayList<>()).add(image);
            }
            boolean multiCamera = byCamera.size() > 1;
            for (List<ReidImage> images : byCamera.values()) {
                for (int i = 0; i < images.size(); i++) {
                    (multiCamera && i == 0 ? query : gallery).add(images.get(i));
                }
            }
        }
        return new ValidationSplit(rest, query, gallery);
    }
}
