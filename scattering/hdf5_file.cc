#include "scattering/hdf5_file.h"

#include <algorithm>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    // Closes an HDF5 handle of any kind when it leaves scope.
    struct Handle
    {
      hid_t id;
      explicit Handle(hid_t id)
        : id(id)
      {}
      Handle(const Handle &) = delete;
      ~Handle()
      {
        switch (id < 0 ? H5I_BADID : H5Iget_type(id))
          {
            case H5I_ATTR:
              H5Aclose(id);
              break;
            case H5I_DATASPACE:
              H5Sclose(id);
              break;
            case H5I_DATATYPE:
              H5Tclose(id);
              break;
            case H5I_BADID:
              break;
            default:
              H5Oclose(id);
          }
      }
    };

    // h5py's layout of complex128: a compound of two doubles named r and i.
    hid_t create_complex_type()
    {
      const hid_t type = H5Tcreate(H5T_COMPOUND, sizeof(std::complex<double>));
      H5Tinsert(type, "r", 0, H5T_NATIVE_DOUBLE);
      H5Tinsert(type, "i", sizeof(double), H5T_NATIVE_DOUBLE);
      return type;
    }
  } // namespace

  Hdf5File::Hdf5File(const std::string &path, Mode mode)
    : file_path(path)
  {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); // errors are reported by our messages
    if (mode == Mode::read)
      {
        if (H5Fis_hdf5(path.c_str()) <= 0)
          fail("cannot open (missing or not an HDF5 file)");
        file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
      }
    else
      file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (file < 0)
      fail("cannot open");
  }

  Hdf5File::~Hdf5File()
  {
    if (file >= 0)
      H5Fclose(file);
  }

  void Hdf5File::fail(const std::string &what) const
  {
    throw std::runtime_error(file_path + ": " + what);
  }

  bool Hdf5File::has(const std::string &name) const
  {
    return H5Lexists(file, name.c_str(), H5P_DEFAULT) > 0;
  }

  bool Hdf5File::has_attribute(const std::string &object, const std::string &name) const
  {
    return H5Aexists_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT) > 0;
  }

  std::vector<std::string> Hdf5File::attribute_names(const std::string &object) const
  {
    Handle                   object_id(open_object(object));
    std::vector<std::string> names;
    const auto collect = [](hid_t, const char *name, const H5A_info_t *, void *data) -> herr_t {
      static_cast<std::vector<std::string> *>(data)->emplace_back(name);
      return 0;
    };
    hsize_t position = 0;
    if (H5Aiterate2(object_id.id, H5_INDEX_NAME, H5_ITER_INC, &position, collect, &names) < 0)
      fail("cannot list the attributes of '" + object + "'");
    return names;
  }

  hid_t Hdf5File::open_object(const std::string &object) const
  {
    const hid_t id = H5Oopen(file, object.c_str(), H5P_DEFAULT);
    if (id < 0)
      fail("missing object '" + object + "'");
    return id;
  }

  hid_t Hdf5File::open_attribute(const std::string &object, const std::string &name) const
  {
    if (!has_attribute(object, name))
      fail("missing attribute '" + name + "'");
    return H5Aopen_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT);
  }

  std::string Hdf5File::read_string_attribute(const std::string &object,
                                              const std::string &name) const
  {
    Handle attribute(open_attribute(object, name));
    Handle type(H5Aget_type(attribute.id));
    if (H5Tget_class(type.id) != H5T_STRING)
      fail("attribute '" + name + "' is not a string");
    if (H5Tis_variable_str(type.id) > 0)
      {
        char  *value = nullptr;
        Handle memtype(H5Tcopy(H5T_C_S1));
        H5Tset_size(memtype.id, H5T_VARIABLE);
        H5Tset_cset(memtype.id, H5Tget_cset(type.id)); // h5py writes UTF-8
        if (H5Aread(attribute.id, memtype.id, &value) < 0 || value == nullptr)
          fail("cannot read attribute '" + name + "'");
        std::string result(value);
        H5free_memory(value);
        return result;
      }
    std::string value(H5Tget_size(type.id), '\0');
    if (H5Aread(attribute.id, type.id, value.data()) < 0)
      fail("cannot read attribute '" + name + "'");
    return value.substr(0, value.find('\0'));
  }

  double Hdf5File::read_double_attribute(const std::string &object,
                                         const std::string &name) const
  {
    Handle attribute(open_attribute(object, name));
    Handle space(H5Aget_space(attribute.id));
    if (H5Sget_simple_extent_npoints(space.id) != 1)
      fail("attribute '" + name + "' is not a scalar");
    double value = 0;
    if (H5Aread(attribute.id, H5T_NATIVE_DOUBLE, &value) < 0)
      fail("attribute '" + name + "' is not a number");
    return value;
  }

  std::vector<std::string> Hdf5File::read_string_array_attribute(const std::string &object,
                                                                 const std::string &name) const
  {
    Handle attribute(open_attribute(object, name));
    Handle space(H5Aget_space(attribute.id));
    const hssize_t n = H5Sget_simple_extent_npoints(space.id);
    std::vector<char *> values(n, nullptr);
    Handle type(H5Aget_type(attribute.id));
    Handle memtype(H5Tcopy(H5T_C_S1));
    H5Tset_size(memtype.id, H5T_VARIABLE);
    H5Tset_cset(memtype.id, H5Tget_cset(type.id)); // h5py writes UTF-8
    if (H5Aread(attribute.id, memtype.id, values.data()) < 0)
      fail("attribute '" + name + "' is not an array of variable-length strings");
    std::vector<std::string> result;
    for (char *v : values)
      {
        result.emplace_back(v ? v : "");
        H5free_memory(v);
      }
    return result;
  }

  std::vector<hsize_t> Hdf5File::shape(const std::string &name) const
  {
    if (!has(name))
      fail("missing dataset '" + name + "'");
    Handle dataset(H5Dopen2(file, name.c_str(), H5P_DEFAULT));
    Handle space(H5Dget_space(dataset.id));
    const int rank = H5Sget_simple_extent_ndims(space.id);
    if (rank < 0)
      fail("cannot read the shape of '" + name + "'");
    std::vector<hsize_t> dims(rank);
    H5Sget_simple_extent_dims(space.id, dims.data(), nullptr);
    return dims;
  }

  namespace
  {
    template <typename T>
    void read_numbers(hid_t file, const std::string &name, hid_t memtype, T *buffer, const Hdf5File &owner)
    {
      Handle            dataset(H5Dopen2(file, name.c_str(), H5P_DEFAULT));
      Handle            type(H5Dget_type(dataset.id));
      const H5T_class_t cls = H5Tget_class(type.id);
      if ((cls != H5T_FLOAT && cls != H5T_INTEGER) ||
          H5Dread(dataset.id, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer) < 0)
        throw std::runtime_error(owner.path() + ": dataset '" + name +
                                 "' is not numeric");
    }

    template <typename T>
    std::vector<T> read_all(hid_t file, const std::string &name, hid_t memtype,
                            hsize_t n, const Hdf5File &owner)
    {
      std::vector<T> data(n);
      read_numbers(file, name, memtype, data.data(), owner);
      return data;
    }

    hsize_t product(const std::vector<hsize_t> &dims)
    {
      hsize_t n = 1;
      for (hsize_t d : dims)
        n *= d;
      return n;
    }
  } // namespace

  std::vector<double> Hdf5File::read_doubles(const std::string &name) const
  {
    return read_all<double>(file, name, H5T_NATIVE_DOUBLE, product(shape(name)), *this);
  }

  void Hdf5File::read_doubles(const std::string &name, double *buffer) const
  {
    read_numbers(file, name, H5T_NATIVE_DOUBLE, buffer, *this);
  }

  std::vector<int> Hdf5File::read_ints(const std::string &name) const
  {
    return read_all<int>(file, name, H5T_NATIVE_INT, product(shape(name)), *this);
  }

  std::vector<std::complex<double>> Hdf5File::read_complex(const std::string &name) const
  {
    const hsize_t n = product(shape(name));
    Handle        dataset(H5Dopen2(file, name.c_str(), H5P_DEFAULT));
    Handle        type(H5Dget_type(dataset.id));
    const bool    compound = H5Tget_class(type.id) == H5T_COMPOUND &&
                          H5Tget_nmembers(type.id) == 2 &&
                          H5Tget_member_index(type.id, "r") >= 0 &&
                          H5Tget_member_index(type.id, "i") >= 0;
    Handle memtype(create_complex_type());
    std::vector<std::complex<double>> data(n);
    if (!compound ||
        H5Dread(dataset.id, memtype.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()) < 0)
      fail("dataset '" + name + "' is not complex (a compound of doubles r and i)");
    return data;
  }

  void Hdf5File::create_group(const std::string &name)
  {
    const hid_t group = H5Gcreate2(file, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (group < 0)
      fail("cannot create group '" + name + "'");
    H5Gclose(group);
  }

  void Hdf5File::write_attribute_raw(const std::string &object, const std::string &name,
                                     hid_t type, const void *value)
  {
    Handle object_id(open_object(object));
    Handle space(H5Screate(H5S_SCALAR));
    Handle attribute(
      H5Acreate2(object_id.id, name.c_str(), type, space.id, H5P_DEFAULT, H5P_DEFAULT));
    if (attribute.id < 0 || H5Awrite(attribute.id, type, value) < 0)
      fail("cannot write attribute '" + name + "'");
  }

  void Hdf5File::write_attribute(const std::string &object, const std::string &name,
                                 double value)
  {
    write_attribute_raw(object, name, H5T_NATIVE_DOUBLE, &value);
  }

  void Hdf5File::write_attribute(const std::string &object, const std::string &name, int value)
  {
    write_attribute_raw(object, name, H5T_NATIVE_INT, &value);
  }

  void Hdf5File::write_attribute(const std::string &object, const std::string &name,
                                 const std::string &value)
  {
    Handle      type(H5Tcopy(H5T_C_S1));
    H5Tset_size(type.id, H5T_VARIABLE);
    const char *c = value.c_str();
    write_attribute_raw(object, name, type.id, &c);
  }

  void Hdf5File::write_attribute(const std::string &object, const std::string &name,
                                 const std::vector<std::string> &values)
  {
    Handle object_id(open_object(object));
    Handle type(H5Tcopy(H5T_C_S1));
    H5Tset_size(type.id, H5T_VARIABLE);
    const hsize_t            n = values.size();
    Handle                   space(H5Screate_simple(1, &n, nullptr));
    std::vector<const char *> pointers;
    for (const auto &v : values)
      pointers.push_back(v.c_str());
    Handle attribute(
      H5Acreate2(object_id.id, name.c_str(), type.id, space.id, H5P_DEFAULT, H5P_DEFAULT));
    if (attribute.id < 0 || H5Awrite(attribute.id, type.id, pointers.data()) < 0)
      fail("cannot write attribute '" + name + "'");
  }

  void Hdf5File::write_raw(const std::string &name, const std::vector<hsize_t> &shape,
                           hid_t type, const void *data)
  {
    Handle space(H5Screate_simple(shape.size(), shape.data(), nullptr));
    Handle dataset(H5Dcreate2(file, name.c_str(), type, space.id, H5P_DEFAULT, H5P_DEFAULT,
                              H5P_DEFAULT));
    if (dataset.id < 0 || H5Dwrite(dataset.id, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
      fail("cannot write dataset '" + name + "'");
  }

  void Hdf5File::write(const std::string &name, const std::vector<hsize_t> &shape,
                       const double *data)
  {
    write_raw(name, shape, H5T_NATIVE_DOUBLE, data);
  }

  void Hdf5File::write(const std::string &name, const std::vector<hsize_t> &shape,
                       const int *data)
  {
    write_raw(name, shape, H5T_NATIVE_INT, data);
  }

  void Hdf5File::write(const std::string &name, const std::vector<hsize_t> &shape,
                       const std::complex<double> *data)
  {
    Handle type(create_complex_type());
    write_raw(name, shape, type.id, data);
  }

  void Hdf5File::write_column_major(const std::string &name, hsize_t rows, hsize_t cols, const double *data)
  {
    const hsize_t shape[2] = {rows, cols};
    Handle        space(H5Screate_simple(2, shape, nullptr));
    Handle dataset(H5Dcreate2(file, name.c_str(), H5T_NATIVE_DOUBLE, space.id, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    if (dataset.id < 0)
      fail("cannot write dataset '" + name + "'");
    constexpr hsize_t   block_bytes = hsize_t(1) << 24; // a buffer of 16 MB
    const hsize_t       block       = std::max<hsize_t>(1, block_bytes / sizeof(double) / std::max<hsize_t>(cols, 1));
    std::vector<double> buffer(std::min(block, rows) * cols);
    for (hsize_t first = 0; first < rows; first += block)
      {
        const hsize_t count = std::min(block, rows - first);
        for (hsize_t j = 0; j < cols; ++j) // column j's piece of these rows, into C order
          for (hsize_t i = 0; i < count; ++i)
            buffer[i * cols + j] = data[j * rows + first + i];
        const hsize_t start[2] = {first, 0}, extent[2] = {count, cols};
        Handle        memory(H5Screate_simple(2, extent, nullptr));
        if (H5Sselect_hyperslab(space.id, H5S_SELECT_SET, start, nullptr, extent, nullptr) < 0 ||
            H5Dwrite(dataset.id, H5T_NATIVE_DOUBLE, memory.id, space.id, H5P_DEFAULT, buffer.data()) < 0)
          fail("cannot write dataset '" + name + "'");
      }
  }
} // namespace kapitza
