package org.reid.service.gallery.ingest;

import java.util.List;
import org.reid.service.gallery.GalleryWriter;
import org.reid.service.image.CheckedImage;
import org.reid.service.serving.ServingModel;

/**
 * A chunk of staged items checked and embedded, ready to be stored: what became of each item so
 * far, the ones to store, and the crops to write with their embeddings by the serving model (and
 * the switch target during a model switch).
 */
record PreparedChunk(ServingModel model, ServingModel target, List<Outcome> outcomes, List<Outcome> toEmbed,
        List<GalleryWriter.NewCrop> crops) {

    /** The batch items of the chunk (one batch), in order. */
    List<IngestItems.Pending> items() {
        return java.util.stream.Stream.concat(outcomes.stream(), toEmbed.stream()).map(Outcome::item)
                .sorted(java.util.Comparator.comparingInt(IngestItems.Pending::index)).toList();
    }

    /** The chunk without the items not in {@code pending} (erased while it was being embedded). */
    PreparedChunk keeping(java.util.Set<Integer> pending) {
        List<Outcome> keptOutcomes = outcomes.stream().filter(o -> pending.contains(o.item().index())).toList();
        List<Outcome> keptToEmbed = new java.util.ArrayList<>();
        List<GalleryWriter.NewCrop> keptCrops = new java.util.ArrayList<>();
        for (int i = 0; i < toEmbed.size(); i++) {
            if (pending.contains(toEmbed.get(i).item().index())) {
                keptToEmbed.add(toEmbed.get(i));
                keptCrops.add(crops.get(i));
            }
        }
        return new PreparedChunk(model, target, keptOutcomes, keptToEmbed, keptCrops);
    }

    /** An item's outcome: PENDING (to store), DUPLICATE of an earlier item of the chunk, or FAILED. */
    record Outcome(IngestItems.Pending item, ItemState state, String error, CheckedImage image) {}
}
