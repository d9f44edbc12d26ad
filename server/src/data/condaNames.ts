// Well-known conda package names (defaults and conda-forge) that are not PyPI distribution names,
// or that mean something else on PyPI: a conda spec is checked against conda's own namespace, so
// `cudatoolkit` in `%conda install` is conda's CUDA runtime, not a look-alike of a PyPI name.
export const CONDA_NAMES: readonly string[] = [
  // CUDA and accelerator runtimes
  'cudatoolkit', 'cuda-toolkit', 'cudnn', 'nccl', 'cuda', 'cuda-version', 'cuda-nvcc', 'cuda-runtime', 'cuda-cudart',
  'cuda-libraries', 'cuda-nvrtc', 'cuda-compiler', 'cutensor', 'cupy', 'pytorch-cuda', 'pytorch-mutex', 'cpuonly',
  'magma', 'magma-cuda121', 'magma-cuda118', 'tensorrt', 'libcublas', 'libcufft', 'libcurand', 'libcusolver', 'libcusparse',
  // PyTorch, TensorFlow and friends under their conda names
  'pytorch', 'pytorch-cpu', 'pytorch-gpu', 'torchvision', 'torchaudio', 'torchtext', 'pytorch-lightning', 'tensorflow-base',
  'tensorflow-gpu', 'tensorflow-cpu', 'keras-gpu', 'py-xgboost', 'py-xgboost-cpu', 'py-xgboost-gpu', 'py-lightgbm',
  'py-opencv', 'opencv', 'libopencv', 'matplotlib-base', 'pyqt', 'qt', 'qt-main', 'pytables', 'msgpack-python',
  'python-graphviz', 'ruamel_yaml', 'importlib_metadata', 'typing_extensions', 'faiss', 'faiss-cpu', 'faiss-gpu', 'libfaiss',
  'rapids', 'cudf', 'cuml', 'cugraph', 'dask-cuda', 'jaxlib', 'mkl-include',
  // BLAS, compilers and system libraries
  'python', 'pip', 'conda', 'mamba', 'micromamba', 'conda-forge-pinning', 'mkl', 'mkl-service', 'mkl_fft', 'mkl_random',
  'intel-openmp', 'llvm-openmp', 'blas', 'openblas', 'libblas', 'libcblas', 'liblapack', 'liblapacke', 'lapack', 'ffmpeg',
  'git', 'git-lfs', 'nodejs', 'gcc', 'gxx', 'gfortran', 'gcc_linux-64', 'gxx_linux-64', 'cmake', 'make', 'ninja', 'compilers',
  'c-compiler', 'cxx-compiler', 'fortran-compiler', 'pkg-config', 'openssl', 'ca-certificates', 'certifi', 'zlib', 'xz', 'bzip2',
  'sqlite', 'tk', 'readline', 'ncurses', 'libffi', 'hdf5', 'openmpi', 'mpich', 'graphviz', 'cairo', 'curl', 'libcurl', 'tzdata',
  'r-base', 'r', 'jpeg', 'libjpeg-turbo', 'libpng', 'libtiff', 'freetype', 'icu', 'boost', 'boost-cpp', 'eigen', 'ld_impl_linux-64',
  'openjdk', 'rust', 'go', 'libgcc-ng', 'libstdcxx-ng', 'libgomp', 'libgfortran-ng', 'libgfortran5', 'vc', 'vs2015_runtime',
  'ucrt', 'libzlib', 'libuuid', 'libxml2', 'libiconv', 'libsodium', 'zeromq', 'libprotobuf', 'protobuf', 'libarrow', 'arrow-cpp',
  'libgdal', 'gdal', 'proj', 'geos', 'libspatialindex', 'poppler', 'tesseract', 'imagemagick', 'pandoc', 'jupyterlab', 'nb_conda_kernels',
  'ipykernel', 'conda-build', 'anaconda', 'anaconda-client', 'jupyter', 'notebook', 'nbconvert', 'bokeh', 'holoviews', 'panel',
];
