package dmdd.model.teacher;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The frozen CNN backbones a DMDD teacher can be (ImageNet-trained or ImageNet-initialised; see
 * {@link #description()}). The student mirrors the chosen teacher's level
 * channels, so the kind is part of every saved model.
 */
public enum BackboneKind {
    /**
     * The MobileNetV2 inside the nsfwjs npm package (Keras layout, width 1.0), its first layers Conv1 to
     * block_10, whose weights are ImageNet-initialised (nsfwjs fine-tuned the network for its own classes);
     * levels after block_2, block_5, block_10: 24, 32, 96 channels.
     */
    MOBILENET_V2("mobilenetv2", new int[] {24, 32, 96},
            "MobileNetV2 from the nsfwjs package (Conv1 to block_10, ImageNet-initialised, frozen)"),
    /**
     * The wider MobileNetV2 inside the same nsfwjs package (its {@code mobilenet_v2_mid} model: TensorFlow Hub's
     * MobileNetV2 at width 1.4 under nsfwjs's classifier, as a TensorFlow graph), its first layers Conv to
     * expanded_conv_10 (Keras's block_10), ImageNet-initialised; levels 32, 48, 136 channels.
     */
    MOBILENET_V2_140("mobilenetv2_140", new int[] {32, 48, 136},
            "MobileNetV2 1.4 from the nsfwjs package (Conv1 to block_10, ImageNet-initialised, frozen)"),
    /** torchvision ResNet-18, layers 1-3: 64, 128, 256 channels. */
    RESNET18("resnet18", new int[] {64, 128, 256}, "ResNet-18 (torchvision ImageNet weights, layers 1-3, frozen)"),
    /** torchvision WideResNet-50-2, layers 1-3: 256, 512, 1024 channels. */
    WIDE_RESNET50_2("wide_resnet50_2", new int[] {256, 512, 1024},
            "WideResNet-50-2 (torchvision ImageNet weights, layers 1-3, frozen)");

    private final String cliName;
    private final int[] levelChannels;
    private final String description;

    BackboneKind(String cliName, int[] levelChannels, String description) {
        this.cliName = cliName;
        this.levelChannels = levelChannels;
        this.description = description;
    }

    /** @return what this teacher honestly is, for people: the GUI's choice, model.json, README */
    public String description() {
        return description;
    }

    /** @return whether the weights come from the nsfwjs npm package (converted by {@link NsfwjsConverter}) */
    public boolean fromNsfwjs() {
        return this == MOBILENET_V2 || this == MOBILENET_V2_140;
    }

    /** @return the name used on the command line and in settings files */
    public String cliName() {
        return cliName;
    }

    /** @return channels of the three feature levels (strides 4, 8, 16) */
    public int[] levelChannels() {
        return levelChannels.clone();
    }

    /**
     * Parses a command-line or settings name.
     *
     * @param name e.g. {@code mobilenetv2}
     * @return the kind
     * @throws IllegalArgumentException naming the valid choices
     */
    public static BackboneKind fromCliName(String name) {
        String n = name.toLowerCase(Locale.ROOT).trim();
        for (BackboneKind k : values()) {
            if (k.cliName.equals(n) || k.name().equalsIgnoreCase(n)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown backbone '" + name + "'; choose one of "
                + Arrays.stream(values()).map(BackboneKind::cliName).collect(Collectors.joining(", ")));
    }
}
