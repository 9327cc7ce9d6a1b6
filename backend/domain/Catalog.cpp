#include "domain/Catalog.h"

#include <algorithm>
#include <mutex>

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

UserDirectory::UserDirectory(UserDirectory &&other) noexcept
    : m_users(std::move(other.m_users)), m_byUid(std::move(other.m_byUid)), m_added(std::move(other.m_added)),
      m_addedByUid(std::move(other.m_addedByUid))
{}

UserDirectory &UserDirectory::operator=(UserDirectory &&other) noexcept
{
    m_users = std::move(other.m_users);
    m_byUid = std::move(other.m_byUid);
    m_added = std::move(other.m_added);
    m_addedByUid = std::move(other.m_addedByUid);
    return *this;
}

const User *UserDirectory::find(std::int64_t uid) const
{
    if (const auto it = m_byUid.find(uid); it != m_byUid.end())
        return &m_users[it->second];
    const std::shared_lock lock(m_addedMutex);
    const auto it = m_addedByUid.find(uid);
    return it == m_addedByUid.end() ? nullptr : it->second;
}

bool UserDirectory::add(const User &user)
{
    if (m_byUid.contains(user.uid))
        return false;
    const std::unique_lock lock(m_addedMutex);
    if (m_addedByUid.contains(user.uid))
        return false;
    m_added.push_back(user);
    m_addedByUid.emplace(user.uid, &m_added.back());
    return true;
}

UserDirectory::Page UserDirectory::page(std::int64_t afterUid, std::size_t limit) const
{
    Page page;
    auto base = std::upper_bound(m_users.begin(), m_users.end(), afterUid,
                                 [](std::int64_t uid, const User &u) { return uid < u.uid; });
    const std::shared_lock lock(m_addedMutex);
    auto added = m_addedByUid.upper_bound(afterUid);
    // Both are in uid order and share no uid: merge them.
    while (page.users.size() < limit && (base != m_users.end() || added != m_addedByUid.end())) {
        if (added == m_addedByUid.end() || (base != m_users.end() && base->uid < added->first))
            page.users.push_back(*base++);
        else
            page.users.push_back(*(added++)->second);
    }
    page.total = m_users.size() + m_added.size();
    return page;
}

std::size_t UserDirectory::size() const
{
    const std::shared_lock lock(m_addedMutex);
    return m_users.size() + m_added.size();
}

} // namespace flywheel
