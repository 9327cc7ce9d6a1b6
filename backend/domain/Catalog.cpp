#include "domain/Catalog.h"

namespace flywheel {

const char *deviceTypeName(DeviceType device)
{
    switch (device) {
    case DeviceType::Ios:
        return "ios";
    case DeviceType::Android:
        return "android";
    case DeviceType::Web:
        return "web";
    }
    return "android";
}

bool parseDeviceType(const std::string &name, DeviceType &device)
{
    for (DeviceType candidate : {DeviceType::Ios, DeviceType::Android, DeviceType::Web}) {
        if (name == deviceTypeName(candidate)) {
            device = candidate;
            return true;
        }
    }
    return false;
}

Catalog::Catalog(std::vector<Product> products) : m_products(std::move(products))
{
    m_bySku.reserve(m_products.size());
    for (std::size_t i = 0; i < m_products.size(); ++i)
        m_bySku.emplace(m_products[i].sku, i);
}

const Product *Catalog::find(const std::string &sku) const
{
    const auto it = m_bySku.find(sku);
    return it == m_bySku.end() ? nullptr : &m_products[it->second];
}

UserDirectory::UserDirectory(std::vector<User> users) : m_users(std::move(users))
{
    m_byUid.reserve(m_users.size());
    for (std::size_t i = 0; i < m_users.size(); ++i)
        m_byUid.emplace(m_users[i].uid, i);
}

const User *UserDirectory::find(std::int64_t uid) const
{
    const auto it = m_byUid.find(uid);
    return it == m_byUid.end() ? nullptr : &m_users[it->second];
}

} // namespace flywheel
