#pragma once
// Thin RAII wrapper over the HDF5 C API for the few operations kapitza's files need:
// scalar attributes, string attributes and arrays, and n-dimensional double/int datasets.
// Every failure throws std::runtime_error with the file and object name.

#include <hdf5.h>

#include <complex>
#include <string>
#include <vector>

namespace kapitza
{
  class Hdf5File
  {
  public:
    enum class Mode
    {
      read,
      create
    };
    Hdf5File(const std::string &path, Mode mode);
    ~Hdf5File();
    Hdf5File(const Hdf5File &) = delete;
    Hdf5File &operator=(const Hdf5File &) = delete;

    bool has(const std::string &name) const;
    bool has_attribute(const std::string &object, const std::string &name) const;
    /// Names of the attributes of `object`, in alphabetical order.
    std::vector<std::string> attribute_names(const std::string &object) const;

    std::string read_string_attribute(const std::string &object, const std::string &name) const;
    double      read_double_attribute(const std::string &object, const std::string &name) const;
    std::vector<std::string> read_string_array_attribute(const std::string &object,
                                                         const std::string &name) const;

    /// Shape of a dataset (empty for a scalar).
    std::vector<hsize_t> shape(const std::string &name) const;
    std::vector<double>  read_doubles(const std::string &name) const;
    /// The whole dataset into `buffer` (as many doubles as its shape holds, C order): a
    /// large matrix is read without a second copy.
    void                 read_doubles(const std::string &name, double *buffer) const;
    std::vector<int>     read_ints(const std::string &name) const;
    /// A complex dataset stored as h5py does: a compound {r, i} of doubles.
    std::vector<std::complex<double>> read_complex(const std::string &name) const;

    void create_group(const std::string &name);
    void write_attribute(const std::string &object, const std::string &name, double value);
    void write_attribute(const std::string &object, const std::string &name, int value);
    void write_attribute(const std::string &object, const std::string &name,
                         const std::string &value);
    void write_attribute(const std::string &object, const std::string &name,
                         const std::vector<std::string> &values);
    void write(const std::string &name, const std::vector<hsize_t> &shape, const double *data);
    void write(const std::string &name, const std::vector<hsize_t> &shape, const int *data);
    void write(const std::string &name, const std::vector<hsize_t> &shape,
               const std::complex<double> *data);
    /// A (rows, cols) dataset in C order from a column-major matrix, written in blocks of
    /// rows through one small buffer: a large matrix is never copied whole.
    void write_column_major(const std::string &name, hsize_t rows, hsize_t cols, const double *data);

    const std::string &path() const { return file_path; }

  private:
    [[noreturn]] void fail(const std::string &what) const;
    hid_t             open_object(const std::string &object) const;
    hid_t             open_attribute(const std::string &object, const std::string &name) const;
    void write_attribute_raw(const std::string &object, const std::string &name, hid_t type,
                             const void *value);
    void write_raw(const std::string &name, const std::vector<hsize_t> &shape, hid_t type,
                   const void *data);

    std::string file_path;
    hid_t       file = -1;
  };
} // namespace kapitza
