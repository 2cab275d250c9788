/**
 * A 3D mean face at the 68 landmarks of the iBUG 300-W / dlib scheme (the points face-api.js's
 * landmark net predicts), for the head-pose fit in face-geometry.ts.
 *
 * Origin: MediaPipe's canonical face model (mediapipe/modules/face_geometry/data/
 * canonical_face_model.obj, Google LLC, Apache License 2.0), a neutral mean face in centimetres.
 * (The 68-point mean shape that many head-pose scripts copy comes from OpenFace, whose licence allows
 * non-commercial research only, so this commercial kiosk does not use it.) Each landmark is the
 * canonical-model vertex, or the mean of two vertices, at the same facial feature, after the widely
 * used MediaPipe-to-dlib correspondence; the nose tip (30) and the point above it (29) sit one vertex
 * lower than in that table, which fits the landmark net's points better on the shared photos (mean
 * fit error 0.370 cm against 0.378). Then every point was averaged with its mirror partner, so the
 * face is exactly symmetric and a frontal face reads 0 yaw and 0 roll, and the points were centred on
 * their mean. Landmark:vertex(es) used:
 *  0:127 1:234 2:93 3:132+58 4:58+172 5:136 6:150 7:176 8:152 9:400 10:379 11:365 12:397+288 13:361
 *  14:323 15:454 16:356 17:70 18:63 19:105 20:66 21:107 22:336 23:296 24:334 25:293 26:300 27:168+6
 *  28:197+195 29:5+4 30:1 31:75 32:97 33:2 34:326 35:305 36:33 37:160 38:158 39:133 40:153 41:144
 *  42:362 43:385 44:387 45:263 46:373 47:380 48:61 49:39 50:37 51:0 52:267 53:269 54:291 55:321 56:314
 *  57:17 58:84 59:91 60:78 61:82 62:13 63:312 64:308 65:317 66:14 67:87
 *
 * Axes are the camera's for a face looking straight into it: x towards the image's right (the
 * person's left), y down, z away from the camera (the nose tip has the smallest z).
 */

/** [x, y, z] in centimetres; the index is the landmark number (0..67). */
export const MEAN_FACE_68: ReadonlyArray<readonly [number, number, number]> = [
  // 0-16: jaw line, from beside the right eye (image left) round the chin to beside the left eye
  [-7.743, -3.581, 5.566],
  [-7.664, -1.889, 5.997],
  [-7.542, -0.167, 5.992],
  [-7.133, 2.149, 5.686],
  [-6.330, 4.290, 4.749],
  [-5.085, 5.962, 2.846],
  [-4.069, 6.777, 1.636],
  [-2.309, 7.758, -0.048],
  [0.000, 8.187, -0.704],
  [2.309, 7.758, -0.048],
  [4.069, 6.777, 1.636],
  [5.085, 5.962, 2.846],
  [6.330, 4.290, 4.749],
  [7.133, 2.149, 5.686],
  [7.542, -0.167, 5.992],
  [7.664, -1.889, 5.997],
  [7.743, -3.581, 5.566],
  // 17-26: eyebrows, right then left (image left to right)
  [-5.721, -5.471, 0.730],
  [-4.986, -6.019, -0.191],
  [-3.987, -6.326, -0.906],
  [-2.760, -6.317, -1.455],
  [-1.396, -6.228, -1.755],
  [1.396, -6.228, -1.755],
  [2.760, -6.317, -1.455],
  [3.987, -6.326, -0.906],
  [4.986, -6.019, -0.191],
  [5.721, -5.471, 0.730],
  // 27-35: nose bridge from between the eyes to the tip (27-30), then the base of the nose (31-35)
  [0.000, -4.088, -1.952],
  [0.000, -2.610, -2.985],
  [0.000, -1.167, -3.854],
  [0.000, -0.089, -3.915],
  [-1.044, 0.249, -2.102],
  [-0.597, 0.798, -2.306],
  [0.000, 0.873, -2.498],
  [0.597, 0.798, -2.306],
  [1.044, 0.249, -2.102],
  // 36-47: eyes, right then left, each from its outer corner along the upper lid
  [-4.446, -3.880, 0.387],
  [-3.670, -4.144, -0.164],
  [-2.724, -4.178, -0.311],
  [-1.856, -3.801, -0.197],
  [-2.724, -3.532, -0.216],
  [-3.670, -3.576, -0.075],
  [1.856, -3.801, -0.197],
  [2.724, -4.178, -0.311],
  [3.670, -4.144, -0.164],
  [4.446, -3.880, 0.387],
  [3.670, -3.576, -0.075],
  [2.724, -3.532, -0.216],
  // 48-67: lips, the outer contour from the right corner (48-59), then the inner contour (60-67)
  [-2.456, 3.126, -0.723],
  [-1.432, 2.285, -1.936],
  [-0.711, 2.113, -2.316],
  [0.000, 2.190, -2.419],
  [0.711, 2.113, -2.316],
  [1.432, 2.285, -1.936],
  [2.456, 3.126, -0.723],
  [1.839, 3.613, -1.263],
  [0.700, 4.076, -1.888],
  [0.000, 4.149, -1.975],
  [-0.700, 4.076, -1.888],
  [-1.839, 3.613, -1.263],
  [-2.153, 3.060, -0.477],
  [-0.533, 2.777, -1.578],
  [0.000, 2.778, -1.659],
  [0.533, 2.777, -1.578],
  [2.153, 3.060, -0.477],
  [0.583, 3.302, -1.779],
  [0.000, 3.326, -1.844],
  [-0.583, 3.302, -1.779],
];
