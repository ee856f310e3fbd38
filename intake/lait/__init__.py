"""The DfE's Local Authority Interactive Tool (LAIT) data set as the product's benchmarks.

By stage:
- ``reader``: the files (data in LAIT's long layout, the data dictionary, the
  statistical-neighbour workbooks) to checked pandas frames, or the problems that stop them;
- ``years``: DfE's year labels, their order, and the period each describes (pure);
- ``comparators``: England, region, statistical-neighbour mean, quartile band and rank, worked
  out as DfE does (pure: pandas in, numbers out);
- ``catalogue``: an indicator's definition guessed from a measure of the dictionary (pure);
- ``lait_import``: the import into the database, in one transaction;
- ``files``: the files read and checked;
- ``sync``: the stored measures, values, lists and council brought into line;
- ``bulk``: COPY or executemany;
- ``stored_comparators``: the council's comparators worked out and stored;
- ``summary``: the counts;
- ``queries``: what the read side loads, in a fixed number of queries;
- ``export``: the council's comparators as CSV.
"""
