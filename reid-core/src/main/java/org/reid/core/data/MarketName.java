package org.reid.core.data;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A crop file name in Market-1501 naming, {@code PPPP_cCsS_FFFFFF_NN.jpg}: identity {@code PPPP},
 * camera {@code C}, sequence {@code S}, frame {@code FFFFFF}, box {@code NN}; e.g.
 * {@code 0002_c1s1_000451_03.jpg}. The camera may have any number of digits, because the gallery
 * export writes camera 11 as {@code c11}.
 *
 * @param identity the identity as written, leading zeros kept ({@code "0042"}); {@code "-1"} marks junk
 * @param camera the camera number as written (the data set numbers them from 1)
 */
public record MarketName(String identity, int camera) {

    /** The scheme: group 1 the identity, group 2 the camera; jpg, jpeg or png in any case. */
    public static final Pattern PATTERN = Pattern.compile("(-1|\\d+)_c(\\d+)s(\\d+)_(\\d+)_(\\d+)\\.(?i:jpe?g|png)");

    /** The identity and camera of {@code fileName}, or empty when it does not follow the scheme. */
    public static Optional<MarketName> parse(String fileName) {
        Matcher m = PATTERN.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        Integer camera = DatasetFiles.parseIntOrNull(m.group(2));
        return camera == null ? Optional.empty() : Optional.of(new MarketName(m.group(1), camera));
    }

    /** Identity {@code -1}: a box that shows no one (Market-1501's junk). */
    public boolean isJunk() {
        return identity.equals("-1");
    }

    /** Identity {@code 0} ({@code 0000}): a person who is not one of the data set's identities. */
    public boolean isDistractor() {
        return identity.chars().allMatch(c -> c == '0');
    }
}
