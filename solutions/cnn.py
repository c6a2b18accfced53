"""Reference answers for notebook 07's exercises and typical wrong answers."""

REFERENCE = {
    "check_output_size": 32,           # (63 - 7 + 2*3) / 2 + 1
    "check_conv_params": 204_928,      # 5*5*64*128 + 128
    "check_receptive_field": 7,        # 3 + 2 + 2
}

WRONG = {
    # 29: padding forgotten; 21: the course notes' (W - F + 2P)/(S + 1); 31: forgot the +1; 63: 'same' with stride 1
    "check_output_size": [29, 21, 31, 63, 32.5],
    # no bias; forgot D_in; one filter only
    "check_conv_params": [204_800, 3_328, 1_601, 409_728],
    # 9 = 3*3 (multiplied); 3 = one layer; 6; 27
    "check_receptive_field": [9, 3, 6, 27],
}
