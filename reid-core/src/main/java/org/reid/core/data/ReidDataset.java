package org.reid.core.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.reid.core.util.Sha256;

/**
 * A re-ID dataset: a training split and a query/gallery evaluation split (either may be empty,
 * e.g. a train-only folder dataset). Lists are immutable copies.
 *
 * @param name the layout it was read with, e.g. {@code market1501}
 * @param train training images; never holds junk or distractor images
 * @param query query images of the evaluation protocol
 * @param gallery gallery images (Market-1501's distractors, pid 0, stay here)
 */
public record ReidDataset(String name, List<ReidImage> train, List<ReidImage> query, List<ReidImage> gallery) {

    public ReidDataset {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("dataset name must not be blank");
        }
        train = List.copyOf(train);
        query = List.copyOf(query);
        gallery = List.copyOf(gallery);
    }

    /** Distinct training identities, ascending. */
    public int[] trainPids() {
        TreeSet<Integer> pids = new TreeSet<>();
        for (ReidImage im : train) {
            pids.add(im.pid());
        }
        return pids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Number of distinct training identities: the classifier head's number of classes. */
    public int numTrainIdentities() {
        return trainPids().length;
    }

    /**
     * The contiguous class label of each training identity, for the classifier head: the i-th
     * smallest pid maps to {@code i}, so labels are {@code 0..numTrainIdentities()-1}. The map
     * iterates in ascending pid order and is unmodifiable.
     */
    public Map<Integer, Integer> trainLabelMap() {
        Map<Integer, Integer> map = new LinkedHashMap<>();
        for (int pid : trainPids()) {
            map.put(pid, map.size());
        }
        return Collections.unmodifiableMap(map);
    }

    /** The contiguous class label ({@link #trainLabelMap()}) of each training image, in {@link #train()} order. */
    public int[] trainLabels() {
        Map<Integer, Integer> map = trainLabelMap();
        int[] labels = new int[train.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = map.get(train.get(i).pid());
        }
        return labels;
    }

    /**
     * A content fingerprint for the model manifest: lowercase hex SHA-256 over one line per image,
     * {@code split TAB relativePath TAB pid TAB camId LF}, splits in the order train, query,
     * gallery and, within a split, lines sorted by relative path (then pid, camera). It does not
     * depend on where the dataset lies, on list order, or on {@link #name()}; it changes when an
     * image is added, removed, moved between splits or relabelled. Pixels are not hashed.
     */
    public String fingerprint() {
        MessageDigest sha = Sha256.newDigest();
        digestSplit(sha, "train", train);
        digestSplit(sha, "query", query);
        digestSplit(sha, "gallery", gallery);
        return Sha256.hex(sha);
    }

    private static void digestSplit(MessageDigest sha, String split, List<ReidImage> images) {
        List<ReidImage> sorted = new ArrayList<>(images);
        sorted.sort(Comparator.comparing(ReidImage::relativePath)
                .thenComparingInt(ReidImage::pid)
                .thenComparingInt(ReidImage::camId));
        for (ReidImage im : sorted) {
            String line = split + '\t' + im.relativePath() + '\t' + im.pid() + '\t' + im.camId() + '\n';
            sha.update(line.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** One line for logs: images, identities and cameras per split. */
    public String summary() {
        return name + ": train " + describe(train) + ", query " + describe(query) + ", gallery " + describe(gallery);
    }

    private static String describe(List<ReidImage> images) {
        TreeSet<Integer> pids = new TreeSet<>();
        TreeSet<Integer> cams = new TreeSet<>();
        for (ReidImage im : images) {
            pids.add(im.pid());
            cams.add(im.camId());
        }
        return images.size() + " images / " + pids.size() + " ids / " + cams.size() + " cameras";
    }
}
