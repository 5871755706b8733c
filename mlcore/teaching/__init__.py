"""What only a course needs, beside the engine: gradient checks, filter pictures, k-means,
a painted scene, image augmentation and the shipped pretrained networks."""
