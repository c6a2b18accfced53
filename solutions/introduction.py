"""Reference answers for notebook 00's exercises (and typical wrong ones)."""

REFERENCE = {
    # 25.8 % / 3.57 % ≈ 7.23: the error fell about seven-fold (7.2 to one decimal).
    "check_error_factor": 7.2,
    # AlexNet (SuperVision) won ILSVRC 2012.
    "check_first_deep_year": 2012,
    # GoogLeNet's 6.7 % (2014) was still above 5.1 %; ResNet's 3.57 % (2015) was below.
    "check_first_below_human": 2015,
    # 6,000 · (100 − 97.35) / 100 = 159 pairs.
    "check_deepface_wrong_pairs": 159,
}

WRONG = {
    # a difference, upside down, 2010 instead of 2011, 2012 instead of 2015
    "check_error_factor": [25.8 - 3.57, 3.57 / 25.8, 28.2 / 3.57, 25.8 / 15.3],
    "check_first_deep_year": [2010, 2014, 2015],
    "check_first_below_human": [2014, 2012, 2016],
    # the pairs it got right, the humans' mistakes on cropped faces, the error in %, one fold of 600 pairs
    "check_deepface_wrong_pairs": [5841, 148, 2.65, 15.9],
}
