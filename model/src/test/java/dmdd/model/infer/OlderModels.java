package dmdd.model.infer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Turns a description this version saved into one as an older version saved it, for tests of reading those. */
public final class OlderModels {
    private OlderModels() {
    }

    /**
     * @param description a description this version saved (changed in place)
     * @return it without its seal and without the settings added after the seal, as a model saved before the seal
     *         (the model must have been trained with {@code segmenterAttention=input}, what those settings' absence
     *         reads as, or its weights no longer fit the networks its description now names)
     */
    public static ObjectNode savedBeforeTheSeal(ObjectNode description) {
        description.remove(ModelFolder.SEAL);
        ObjectNode settings = (ObjectNode) description.get("settings");
        ModelFolder.SETTINGS_AFTER_SEAL.forEach(settings::remove);
        return description;
    }
}
