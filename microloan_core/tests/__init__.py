"Tests of microloan_core"
