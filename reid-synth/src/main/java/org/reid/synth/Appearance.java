package org.reid.synth;

import java.awt.Color;

/**
 * What makes one synthetic person that person, whatever the camera: body shape, clothing, hair
 * and what they carry. Sizes are fractions of the crop height (body) or relative factors.
 *
 * @param stature        body height as a fraction of the crop height
 * @param build          width factor (1 = average)
 * @param legShare       share of the body height taken by the legs
 * @param headScale      head size factor
 * @param lookAlikeGroup the look-alike group this person belongs to, or -1
 */
public record Appearance(
        double stature,
        double build,
        double legShare,
        double headScale,
        Color skin,
        Color hair,
        Hair hairStyle,
        Color upper,
        Color upperAccent,
        Pattern pattern,
        boolean longSleeves,
        Color lower,
        Lower lowerStyle,
        Color shoes,
        Carry carry,
        Color carryColor,
        boolean carryOnLeft,
        Color hat,
        int lookAlikeGroup) {

    /** Hair length; long hair hides the upper back, which only a rear camera shows. */
    public enum Hair { BALD, SHORT, MEDIUM, LONG }

    /** Upper-body clothing pattern. LOGO and OPEN_JACKET differ between front and back views. */
    public enum Pattern { PLAIN, STRIPES, VERTICAL_STRIPES, CHECKS, LOGO, OPEN_JACKET }

    public enum Lower { TROUSERS, SHORTS, SKIRT }

    /** A backpack is seen from behind (straps only from the front); bags hang at one hip. */
    public enum Carry { NONE, BACKPACK, SHOULDER_BAG, HANDBAG }

    public boolean hasHat() {
        return hat != null;
    }
}
