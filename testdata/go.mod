module gotrace/testdata

go 1.19
